package io.vigie.alert;

import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.Infra;
import io.vigie.testing.RealRedisCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * Every test of {@link AlertLifecycleTest} (evaluation commits, acknowledgement, timers shared by two instances,
 * escalation, restart) with VIGIE_REDIS_URL listing the masters of a real Redis Cluster.
 */
@RealRedisCluster
@DisplayName("The alert life cycle on a three-master Redis Cluster")
class AlertLifecycleClusterTest extends AlertLifecycleTest {

  /** Supersedes the single-Redis launch (same signature): the alert service runs on the cluster. */
  @BeforeAll
  static void launch(EmbeddedRedis unused, EmbeddedElasticsearch elasticsearch) throws Exception {
    launchOn(Infra.redisCluster().url(), elasticsearch.url());
  }
}
