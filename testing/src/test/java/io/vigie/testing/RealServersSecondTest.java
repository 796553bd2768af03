package io.vigie.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Order(2)
@RealRedis
@RealElasticsearch
@RealMqtt
@DisplayName("A second test class in the same JVM (lifecycle method injection)")
class RealServersSecondTest {

  private static EmbeddedRedis redis;
  private static EmbeddedElasticsearch elasticsearch;
  private static EmbeddedMqttBroker mqtt;

  @BeforeAll
  static void injected(EmbeddedRedis r, EmbeddedElasticsearch e, EmbeddedMqttBroker m) {
    redis = r;
    elasticsearch = e;
    mqtt = m;
  }

  @Test
  @DisplayName("gets the very instances the first test class got: each server started once per JVM")
  void sameInstancesAsTheFirstClass() {
    assumeThat(SeenServers.redis).as("RealServersFirstTest ran before in this JVM").isNotNull();

    assertThat(redis).isSameAs(SeenServers.redis);
    assertThat(elasticsearch).isSameAs(SeenServers.elasticsearch);
    assertThat(mqtt).isSameAs(SeenServers.mqtt);
  }

  @Test
  @DisplayName("gives every parallel caller the same instance")
  void parallelCallers() throws Exception {
    int callers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Callable<List<Object>>> tasks = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        tasks.add(() -> {
          go.await();
          return List.of(Infra.redis(), Infra.elasticsearch(), Infra.mqtt());
        });
      }
      List<Future<List<Object>>> results = new ArrayList<>();
      for (Callable<List<Object>> task : tasks) {
        results.add(pool.submit(task));
      }
      go.countDown();
      Set<List<Object>> distinct = ConcurrentHashMap.newKeySet();
      for (Future<List<Object>> result : results) {
        distinct.add(result.get(3, TimeUnit.MINUTES));
      }
      assertThat(distinct).containsExactly(List.of(redis, elasticsearch, mqtt));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("keeps everything under the configured work directory")
  void workDir() {
    String configured = System.getProperty(Infra.WORKDIR_PROPERTY);
    assumeThat(configured).isNotNull();

    assertThat(Infra.workDir().toString()).startsWith(configured);
    assertThat(Infra.workDir().resolve("redis/redis.log")).exists();
    assertThat(Infra.workDir().resolve("elasticsearch/logs/vigie.log")).exists();
    assertThat(Infra.workDir().resolve("mqtt/data")).isDirectory();
  }
}
