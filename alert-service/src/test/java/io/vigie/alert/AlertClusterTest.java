package io.vigie.alert;

import static io.vigie.alert.AlertHarness.at;
import static io.vigie.alert.AlertHarness.temperature;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.alert.store.RedisAlertStore;
import io.vigie.common.auth.Role;
import io.vigie.common.redis.RedisClients;
import io.vigie.embedded.EmbeddedRedisCluster;
import io.vigie.testing.RealRedisCluster;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The alert service with VIGIE_REDIS_URL listing the three masters of a real Redis Cluster. */
@RealRedisCluster
@DisplayName("The alert state on a three-master Redis Cluster")
class AlertClusterTest {
  private static String redisUrl;
  private static AlertHarness harness;
  private static Redis redis;

  @BeforeAll
  static void launch(EmbeddedRedisCluster cluster) throws Exception {
    redisUrl = cluster.url();
    harness = new AlertHarness(redisUrl, null);
    redis = RedisClients.create(harness.running.vertx(), redisUrl);
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) harness.stop();
  }

  @Test
  @DisplayName("a measurement above the threshold opens an alert (commit), an operator acknowledges then clears it; each transition once in the stream")
  void commitAckClear() throws Exception {
    var fleet = harness.new Fleet().immediate();
    harness.evaluate(fleet.paris(1, 1, temperature(9.5)), fleet.lyon(1, 1, temperature(9.7)));
    var id = harness.nextChange(fleet.paris).getString("id");
    assertThat(harness.nextChange(fleet.lyon).getString("transition")).isEqualTo("opened");
    var operator = fleet.token(Role.OPERATOR, "site-paris");
    harness.clock.set(at(5));

    assertThat(harness.post("/api/v1/alerts/" + id + "/ack", operator, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(harness.post("/api/v1/alerts/" + id + "/clear", operator, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(harness.post("/api/v1/alerts/" + id + "/clear", operator, new JsonObject()).statusCode()).isEqualTo(409);
    assertThat(harness.alertsOf(fleet.admin(), "?status=active")).extracting(a -> a.getString("devEui")).containsExactly(fleet.lyon);

    var stream = redis.send(Request.cmd(Command.XRANGE).arg(RedisAlertStore.TRANSITIONS).arg("-").arg("+")).await(10, SECONDS);
    var mine = new ArrayList<String>();
    stream.forEach(entry -> {
      var alert = new JsonObject(entry.get(1).get(1).toString());
      if (id.equals(alert.getString("id"))) mine.add(alert.getString("transition"));
    });
    assertThat(mine).containsExactly("opened", "acknowledged", "cleared");
  }

  @Test
  @DisplayName("no data for an hour opens an alert by timer once across two instances, and the next message clears it")
  void noDataTimers() throws Exception {
    var fleet = harness.new Fleet();
    harness.evaluate(fleet.paris(1, 0, temperature(4)));
    var other = new AlertHarness(redisUrl, null);
    try {
      harness.clock.set(at(61));
      other.clock.set(at(61));
      var fired = Future.all(harness.service.tick(), other.service.tick()).await(10, SECONDS);
      assertThat((int) fired.resultAt(0) + (int) fired.resultAt(1)).isGreaterThanOrEqualTo(1);
      var opened = harness.nextChange(fleet.paris);
      assertThat(opened.getString("kind")).isEqualTo("no-data");
      assertThat(harness.tick() + other.tick()).isZero();
      assertThat(harness.alertsOf(fleet.admin(), "?status=active")).hasSize(1);

      harness.evaluate(fleet.paris(2, 70, temperature(4)));
      var cleared = harness.nextChange(fleet.paris);
      assertThat(cleared.getString("id")).isEqualTo(opened.getString("id"));
      assertThat(cleared.getString("transition")).isEqualTo("cleared");
    } finally {
      other.stop();
    }
  }
}
