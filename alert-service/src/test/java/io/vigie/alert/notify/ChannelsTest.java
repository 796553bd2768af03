package io.vigie.alert.notify;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.notify.NotifyHarness.Fleet;
import io.vigie.common.auth.Role;
import io.vigie.embedded.FreePorts;
import io.vigie.testing.RealRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RealRedis
@DisplayName("Notification channels")
class ChannelsTest {
  private static final String CHANNELS = "/api/v1/notification-channels/";
  @RegisterExtension
  static final NotifyHarness harness = NotifyHarness.on(2, 1, new JsonObject().put("notify", new JsonObject().put("maxAttempts", 3)));

  @Test
  @DisplayName("puts, reads, lists and deletes a webhook channel within scopes, and never answers its secret")
  void crud() throws Exception {
    var fleet = NotifyHarness.fleet();
    var secret = "never-shown-" + UUID.randomUUID();
    var operator = harness.token(fleet, Role.OPERATOR, fleet.paris());
    var viewer = harness.token(fleet, Role.VIEWER, fleet.paris());
    var lyon = harness.token(fleet, Role.ADMIN, fleet.lyon());
    var answers = new ArrayList<String>();

    var created = harness.put(CHANNELS + "paris-ops", operator, webhook(fleet.paris(), "/h", secret).put("minSeverity", "major"));
    var replaced = harness.put(CHANNELS + "paris-ops", operator, new JsonObject().put("nodeId", fleet.kitchen())
        .put("kind", "webhook").put("url", harness.receiver.url("/h2")));
    var read = harness.get(CHANNELS + "paris-ops", viewer);
    var listed = harness.get("/api/v1/notification-channels?nodeId=" + fleet.paris(), viewer);
    List.of(created, replaced, read, listed).forEach(r -> answers.add(r.bodyAsString()));

    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "paris-ops").put("nodeId", fleet.paris())
        .put("kind", "webhook").put("url", harness.receiver.url("/h")).put("secretSet", true).put("minSeverity", "major"));
    assertThat(replaced.statusCode()).as("a replacement without secret keeps it").isEqualTo(200);
    assertThat(read.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", "paris-ops").put("nodeId", fleet.kitchen())
        .put("kind", "webhook").put("url", harness.receiver.url("/h2")).put("secretSet", true));
    assertThat(listed.bodyAsJsonObject().getJsonArray("channels")).containsExactly(read.bodyAsJsonObject());
    assertThat(harness.get("/api/v1/notification-channels?nodeId=" + fleet.lyon(), harness.admin(fleet))
        .bodyAsJsonObject().getJsonArray("channels")).isEmpty();
    assertThat(harness.put(CHANNELS + "paris-ops", viewer, webhook(fleet.paris(), "/h", secret)).statusCode()).isEqualTo(403);
    assertThat(harness.get(CHANNELS + "paris-ops", lyon).statusCode()).isEqualTo(404);
    assertThat(harness.put(CHANNELS + "paris-ops", lyon, webhook(fleet.lyon(), "/h", secret)).statusCode()).isEqualTo(409);
    assertThat(harness.delete(CHANNELS + "paris-ops", lyon).statusCode()).isEqualTo(404);
    assertThat(harness.delete(CHANNELS + "paris-ops", viewer).statusCode()).isEqualTo(403);

    var tested = harness.post(CHANNELS + "paris-ops/test", operator, new JsonObject());
    answers.add(tested.bodyAsString());
    assertThat(tested.bodyAsJsonObject()).isEqualTo(new JsonObject().put("delivered", true).put("status", 200));
    var test = harness.receiver.next("/h2");
    assertThat(test.signedWith(secret)).as("signed with the secret kept").isTrue();
    assertThat(test.json().getBoolean("test")).isTrue();
    assertThat(test.json().getString("transition")).isEqualTo("test");
    assertThat(harness.post(CHANNELS + "paris-ops/test", viewer, new JsonObject()).statusCode()).isEqualTo(403);
    var deliveries = harness.get(CHANNELS + "paris-ops/deliveries", viewer);
    answers.add(deliveries.bodyAsString());
    assertThat(deliveries.bodyAsJsonObject().getJsonArray("deliveries")).hasSize(1);

    assertThat(harness.delete(CHANNELS + "paris-ops", operator).statusCode()).isEqualTo(204);
    assertThat(harness.get(CHANNELS + "paris-ops", operator).statusCode()).isEqualTo(404);
    assertThat(answers).allSatisfy(body -> assertThat(body).doesNotContain(secret).doesNotContain("\"secret\""));
  }

  @Test
  @DisplayName("refuses a channel without a usable secret, URL or kind, and email while SMTP is not configured, saying why")
  void validation() throws Exception {
    var fleet = NotifyHarness.fleet();
    var admin = harness.admin(fleet);

    var noSecret = harness.put(CHANNELS + "a", admin, webhook(fleet.paris(), "/x", null));
    var shortSecret = harness.put(CHANNELS + "a", admin, webhook(fleet.paris(), "/x", "short"));
    var badUrl = harness.put(CHANNELS + "a", admin, webhook(fleet.paris(), "/x", "0123456789abcdef").put("url", "ftp://x/y"));
    var badKind = harness.put(CHANNELS + "a", admin, new JsonObject().put("nodeId", fleet.paris()).put("kind", "sms"));
    var badSeverity = harness.put(CHANNELS + "a", admin, webhook(fleet.paris(), "/x", "0123456789abcdef").put("minSeverity", "huge"));
    var unknownNode = harness.put(CHANNELS + "a", admin, webhook("nowhere", "/x", "0123456789abcdef"));
    var email = harness.put(CHANNELS + "a", admin, new JsonObject().put("nodeId", fleet.paris()).put("kind", "email")
        .put("to", new JsonArray().add("ops@example.com")));

    assertThat(noSecret.bodyAsJsonObject().getString("message")).contains("needs a secret");
    assertThat(shortSecret.bodyAsJsonObject().getString("message")).contains("secret of 16 to 256");
    assertThat(badUrl.bodyAsJsonObject().getString("message")).contains("http or https");
    assertThat(badKind.bodyAsJsonObject().getString("message")).contains("webhook or email");
    assertThat(badSeverity.bodyAsJsonObject().getString("message")).contains("critical, major, minor or warning");
    assertThat(unknownNode.bodyAsJsonObject().getString("message")).contains("unknown node nowhere");
    assertThat(email.bodyAsJsonObject().getString("message")).contains("VIGIE_SMTP_HOST");
    for (var response : List.of(noSecret, shortSecret, badUrl, badKind, badSeverity, unknownNode, email)) {
      assertThat(response.statusCode()).isEqualTo(400);
    }
    assertThat(harness.get(CHANNELS + "a", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("refuses a webhook to the cloud's metadata endpoint, a private or a loopback address outside the allowed networks, saying why")
  void privateAddressesRefused() throws Exception {
    var fleet = NotifyHarness.fleet();
    var admin = harness.admin(fleet);
    for (var url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.7:9200/_bulk", "http://[::1]:6379/",
        "https://192.168.1.1/admin")) {
      var refused = harness.put(CHANNELS + "ssrf", admin, webhook(fleet.paris(), "/x", "0123456789abcdef").put("url", url));
      assertThat(refused.statusCode()).as(url).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getString("message")).as(url)
          .startsWith("url: ").contains("may not go there").contains("VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS");
    }
    assertThat(harness.get(CHANNELS + "ssrf", admin).statusCode()).isEqualTo(404);
    var allowed = harness.put(CHANNELS + "ssrf", admin, webhook(fleet.paris(), "/x", "0123456789abcdef"));
    assertThat(allowed.statusCode()).as("the loopback is allowed in this test's settings").isEqualTo(201);
  }

  @Test
  @DisplayName("POSTs a transition, signed with each channel's secret, to the channels of its node and every node above that accept its severity")
  void inheritance() throws Exception {
    var fleet = NotifyHarness.fleet();
    var hooks = List.of("root", "paris", "kitchen", "lyon");
    put(fleet, "root", fleet.tenant(), "critical");
    put(fleet, "paris", fleet.paris(), null);
    put(fleet, "kitchen", fleet.kitchen(), "major");
    put(fleet, "lyon", fleet.lyon(), null);

    var major = NotifyHarness.transition(fleet, true, "a1", "opened", "major");
    var critical = NotifyHarness.transition(fleet, true, "a1", "escalated", "critical");
    var majorEntry = harness.publish(major);
    harness.publish(critical);

    for (var hook : List.of("paris", "kitchen")) {
      var first = harness.receiver.next(path(fleet, hook));
      assertThat(first.body()).as("the alert JSON exactly as the alert core wrote it").isEqualTo(major.encode());
      assertThat(first.headers()).containsEntry("x-vigie-event", "alert.changed")
          .containsEntry("x-vigie-delivery", majorEntry + ":" + hook).containsEntry("content-type", "application/json");
      assertThat(first.signedWith(secret(fleet, hook))).isTrue();
      assertThat(first.signedWith(secret(fleet, "lyon"))).isFalse();
      assertThat(harness.receiver.next(path(fleet, hook)).json().getString("transition")).isEqualTo("escalated");
    }
    var root = harness.receiver.next(path(fleet, "root"));
    assertThat(root.json().getString("severity")).as("root accepts critical only").isEqualTo("critical");
    assertThat(root.signedWith(secret(fleet, "root"))).isTrue();
    await().atMost(10, SECONDS).until(() -> harness.pending() == 0);
    for (var hook : hooks) assertThat(harness.receiver.of(path(fleet, hook))).as(hook + ": nothing more").isEmpty();
    assertThat(harness.deliveries(fleet, "lyon")).isEmpty();
    assertThat(harness.deliveries(fleet, "kitchen")).extracting(d -> d.getString("transition"))
        .containsExactlyInAnyOrder("opened", "escalated");
  }

  @Test
  @DisplayName("retries after a 500 with a doubling backoff (50 ms, then 100 ms) and delivers; every attempt is listed in the "
      + "channel's deliveries, newest first")
  void retry() throws Exception {
    var fleet = NotifyHarness.fleet();
    put(fleet, "flaky", fleet.paris(), null);
    harness.receiver.answer(path(fleet, "flaky"), 500, 503);

    var entry = harness.publish(NotifyHarness.transition(fleet, true, "a2", "opened", "minor"));

    var first = harness.receiver.next(path(fleet, "flaky"));
    var second = harness.receiver.next(path(fleet, "flaky"));
    var third = harness.receiver.next(path(fleet, "flaky"));
    assertThat(List.of(second.body(), third.body())).containsOnly(first.body());
    assertThat(second.headers().get("x-vigie-delivery")).isEqualTo(entry + ":flaky").isEqualTo(first.headers().get("x-vigie-delivery"));
    assertThat(Duration.ofNanos(second.nanos() - first.nanos())).as("first backoff").isGreaterThanOrEqualTo(Duration.ofMillis(50));
    assertThat(Duration.ofNanos(third.nanos() - second.nanos())).as("doubled").isGreaterThanOrEqualTo(Duration.ofMillis(100));
    await().atMost(10, SECONDS).until(() -> harness.deliveries(fleet, "flaky").size() == 3);
    var deliveries = harness.deliveries(fleet, "flaky");
    assertThat(deliveries.get(0).getMap()).containsEntry("attempt", 3).containsEntry("outcome", "delivered").containsEntry("status", 200)
        .containsEntry("alertId", "a2").containsEntry("transition", "opened").containsEntry("devEui", fleet.kitchenProbe());
    assertThat(deliveries.get(1).getMap()).containsEntry("attempt", 2).containsEntry("outcome", "retrying").containsEntry("status", 503);
    assertThat(deliveries.get(2).getMap()).containsEntry("attempt", 1).containsEntry("outcome", "retrying").containsEntry("status", 500)
        .containsEntry("error", "answered HTTP 500");
    assertThat(deliveries.get(0).getLong("durationMs")).isNotNegative();
    assertThat(deliveries.get(0).getString("at")).isNotBlank();
  }

  @Test
  @DisplayName("gives up at once on a 404 and after the last attempt on a dead endpoint, while the other channels are notified")
  void givesUp() throws Exception {
    var fleet = NotifyHarness.fleet();
    put(fleet, "healthy", fleet.kitchen(), null);
    put(fleet, "gone", fleet.paris(), null);
    harness.receiver.answer(path(fleet, "gone"), 404);
    assertThat(harness.put(CHANNELS + "dead", harness.admin(fleet), new JsonObject().put("nodeId", fleet.tenant())
        .put("kind", "webhook").put("url", "http://127.0.0.1:" + FreePorts.find() + "/nobody")
        .put("secret", secret(fleet, "dead"))).statusCode()).isEqualTo(201);

    harness.publish(NotifyHarness.transition(fleet, true, "a3", "opened", "warning"));

    assertThat(harness.receiver.next(path(fleet, "healthy")).signedWith(secret(fleet, "healthy"))).isTrue();
    await().atMost(15, SECONDS).until(() -> harness.deliveries(fleet, "dead").size() == 3 && harness.pending() == 0);
    assertThat(harness.deliveries(fleet, "dead")).extracting(d -> d.getString("outcome"))
        .containsExactly("failed", "retrying", "retrying");
    assertThat(harness.deliveries(fleet, "dead").get(0).getString("error")).isNotBlank();
    assertThat(harness.deliveries(fleet, "gone")).singleElement()
        .satisfies(d -> assertThat(d.getMap()).containsEntry("outcome", "failed").containsEntry("status", 404));
  }

  private static void put(Fleet fleet, String hook, String nodeId, String minSeverity) throws Exception {
    var body = webhook(nodeId, path(fleet, hook), secret(fleet, hook));
    if (minSeverity != null) body.put("minSeverity", minSeverity);
    var response = harness.put(CHANNELS + hook, harness.admin(fleet), body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
  }

  private static JsonObject webhook(String nodeId, String path, String secret) {
    var body = new JsonObject().put("nodeId", nodeId).put("kind", "webhook").put("url", harness.receiver.url(path));
    return secret == null ? body : body.put("secret", secret);
  }

  private static String path(Fleet fleet, String hook) {
    return "/" + fleet.tenant() + "/" + hook;
  }

  private static String secret(Fleet fleet, String hook) {
    return "secret-of-" + hook + "-" + fleet.tenant();
  }
}
