package io.vigie.alert;

import static io.vigie.alert.AlertHarness.at;
import static io.vigie.alert.AlertHarness.temperature;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vigie.common.audit.AuditLog;
import io.vigie.common.auth.Role;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("Audit events of the alert service")
class AuditEventsTest {
  private static final JsonObject CHANGED = new JsonObject().put("changed", true);
  private static AlertHarness harness;
  private static Redis redis;

  @BeforeAll
  static void launch(EmbeddedRedis server) throws Exception {
    var url = server.url() + "/12";
    harness = new AlertHarness(url, null);
    redis = Redis.createClient(harness.running.vertx(), url);
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) harness.stop();
  }

  /** Waits for the audit event of {@code action} on {@code kind} {@code targetId} in the stream, and returns it. */
  private static JsonObject event(String kind, String action, String targetId) {
    var found = new JsonObject[1];
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> {
      for (var e : stream()) {
        if (kind.equals(e.getString("kind")) && action.equals(e.getString("action")) && targetId.equals(e.getString("targetId"))) {
          found[0] = e;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  private static List<JsonObject> stream() throws Exception {
    var range = redis.send(Request.cmd(Command.XRANGE).arg(AuditLog.STREAM).arg("-").arg("+")).await(10, TimeUnit.SECONDS);
    var out = new ArrayList<JsonObject>();
    for (var entry : range) out.add(new JsonObject(entry.get(1).get(1).toString()));
    return out;
  }

  private static JsonObject change(Object from, Object to) {
    return new JsonObject().put("from", from).put("to", to);
  }

  @Test
  @DisplayName("rules, channels, silences and a person's ack and clear are recorded with who, where and what changed, never a channel secret")
  void everyChange() throws Exception {
    var fleet = harness.new Fleet().immediate();
    var admin = fleet.admin();
    var operator = fleet.token(Role.OPERATOR, "site-paris");
    var adminSub = "admin@" + fleet.tenant;

    // rules: create, update, delete
    var rule = new JsonObject().put("nodeId", "kitchen-1").put("kind", "above").put("measurement", "temperature")
        .put("threshold", 5.0).put("severity", "major");
    var ruleId = "cold-" + fleet.tenant;
    assertThat(harness.put("/api/v1/alert-rules/" + ruleId, admin, rule).statusCode()).isEqualTo(201);
    var created = event("rule", "create", ruleId);
    assertThat(created.getJsonObject("actor")).isEqualTo(new JsonObject().put("sub", adminSub).put("role", "admin"));
    assertThat(created.getJsonArray("path")).containsExactly(fleet.tenant, "site-paris", "kitchen-1");
    assertThat(created.getJsonObject("changes").getJsonObject("threshold")).isEqualTo(change(null, 5.0));
    assertThat(harness.put("/api/v1/alert-rules/" + ruleId, admin, rule.copy().put("severity", "minor")).statusCode()).isEqualTo(200);
    assertThat(event("rule", "update", ruleId).getJsonObject("changes")).isEqualTo(new JsonObject().put("severity", change("major", "minor")));
    assertThat(harness.delete("/api/v1/alert-rules/" + ruleId, admin).statusCode()).isEqualTo(204);
    assertThat(event("rule", "delete", ruleId).getJsonObject("changes").getJsonObject("severity")).isEqualTo(change("minor", null));

    // channels: create, a new secret, delete
    var secret = "first-secret-" + UUID.randomUUID();
    var secondSecret = "second-secret-" + UUID.randomUUID();
    var channelId = "ops-" + fleet.tenant;
    var channel = new JsonObject().put("nodeId", "site-paris").put("kind", "webhook").put("url", "https://hooks.example.com/a")
        .put("secret", secret);
    var put = harness.put("/api/v1/notification-channels/" + channelId, operator, channel);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(201);
    var channelCreated = event("channel", "create", channelId);
    assertThat(channelCreated.getJsonObject("changes").getJsonObject("secret")).isEqualTo(CHANGED);
    assertThat(channelCreated.getJsonArray("path")).containsExactly(fleet.tenant, "site-paris");
    assertThat(harness.put("/api/v1/notification-channels/" + channelId, operator, channel.copy().put("secret", secondSecret)
        .put("url", "https://hooks.example.com/b")).statusCode()).isEqualTo(200);
    assertThat(event("channel", "update", channelId).getJsonObject("changes")).isEqualTo(new JsonObject()
        .put("secret", CHANGED).put("url", change("https://hooks.example.com/a", "https://hooks.example.com/b")));
    assertThat(harness.delete("/api/v1/notification-channels/" + channelId, operator).statusCode()).isEqualTo(204);
    event("channel", "delete", channelId);

    // silences: create with a comment, delete
    var until = Instant.now().plusSeconds(3600).toString();
    var silence = harness.post("/api/v1/silences", operator, new JsonObject().put("nodeId", "kitchen-1").put("until", until)
        .put("comment", "defrosting"));
    assertThat(silence.statusCode()).as(silence.bodyAsString()).isEqualTo(201);
    var silenceId = silence.bodyAsJsonObject().getString("id");
    var silenced = event("silence", "create", silenceId);
    assertThat(silenced.getString("comment")).isEqualTo("defrosting");
    assertThat(silenced.getJsonObject("changes").getJsonObject("until")).isEqualTo(change(null, until));
    assertThat(harness.delete("/api/v1/silences/" + silenceId, operator).statusCode()).isEqualTo(204);
    event("silence", "delete", silenceId);

    // an alert acknowledged then cleared by a person
    harness.evaluate(fleet.paris(1, 1, temperature(9.5)));
    var alertId = harness.nextChange(fleet.paris).getString("id");
    harness.clock.set(at(5));
    assertThat(harness.post("/api/v1/alerts/" + alertId + "/ack", operator, new JsonObject().put("comment", "door open"))
        .statusCode()).isEqualTo(200);
    var ack = event("alert", "ack", alertId);
    assertThat(ack.getJsonObject("actor")).isEqualTo(new JsonObject().put("sub", "operator@" + fleet.tenant).put("role", "operator"));
    assertThat(ack.getString("comment")).isEqualTo("door open");
    assertThat(ack.getString("devEui")).isEqualTo(fleet.paris);
    assertThat(ack.getJsonObject("changes")).isEqualTo(new JsonObject().put("status", change("active", "acknowledged")));
    assertThat(ack.getJsonArray("path")).containsExactly(fleet.tenant, "site-paris", "kitchen-1");
    assertThat(harness.post("/api/v1/alerts/" + alertId + "/clear", operator, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(event("alert", "clear", alertId).getJsonObject("changes"))
        .isEqualTo(new JsonObject().put("status", change("acknowledged", "cleared")));

    assertThat(stream().toString()).doesNotContain(secret).doesNotContain(secondSecret);
  }
}
