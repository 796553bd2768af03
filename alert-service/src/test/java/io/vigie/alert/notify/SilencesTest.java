package io.vigie.alert.notify;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vigie.common.auth.Role;
import io.vigie.testing.RealRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RealRedis
@DisplayName("Silences")
class SilencesTest {
  @RegisterExtension
  static final NotifyHarness harness = NotifyHarness.on(1, 1, new JsonObject());

  @Test
  @DisplayName("an operator silences a node of their subtree; a viewer there reads it but may not create or delete; another subtree does not see it")
  void scopes() throws Exception {
    var fleet = NotifyHarness.fleet();
    var operator = harness.token(fleet, Role.OPERATOR, fleet.paris());
    var viewer = harness.token(fleet, Role.VIEWER, fleet.paris());
    var lyonOperator = harness.token(fleet, Role.OPERATOR, fleet.lyon());
    var until = Instant.now().plus(Duration.ofHours(2)).toString();
    var body = new JsonObject().put("nodeId", fleet.kitchen()).put("until", until).put("comment", "dégivrage");

    var created = harness.post("/api/v1/silences", operator, body);

    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    var silence = created.bodyAsJsonObject();
    var id = silence.getString("id");
    assertThat(created.getHeader("Location")).isEqualTo("/api/v1/silences/" + id);
    assertThat(silence.getString("nodeId")).isEqualTo(fleet.kitchen());
    assertThat(silence.getString("until")).isEqualTo(until);
    assertThat(silence.getString("comment")).isEqualTo("dégivrage");
    assertThat(silence.getString("createdBy")).isEqualTo("operator@" + fleet.tenant());
    assertThat(Instant.parse(silence.getString("createdAt"))).isBefore(Instant.now().plusSeconds(1));

    assertThat(harness.get("/api/v1/silences/" + id, viewer).bodyAsJsonObject()).isEqualTo(silence);
    assertThat(harness.post("/api/v1/silences", viewer, body).statusCode()).isEqualTo(403);
    assertThat(harness.delete("/api/v1/silences/" + id, viewer).statusCode()).isEqualTo(403);
    assertThat(harness.get("/api/v1/silences/" + id, lyonOperator).statusCode()).isEqualTo(404);
    assertThat(harness.delete("/api/v1/silences/" + id, lyonOperator).statusCode()).isEqualTo(404);
    var elsewhere = harness.post("/api/v1/silences", lyonOperator, body);
    assertThat(elsewhere.statusCode()).isEqualTo(400);
    assertThat(elsewhere.bodyAsJsonObject().getString("message")).contains("unknown node " + fleet.kitchen());
    assertThat(ids(harness.get("/api/v1/silences?nodeId=" + fleet.paris(), harness.admin(fleet)).bodyAsJsonObject()))
        .containsExactly(id);
    assertThat(ids(harness.get("/api/v1/silences?nodeId=" + fleet.lyon(), harness.admin(fleet)).bodyAsJsonObject())).isEmpty();
    assertThat(ids(harness.get("/api/v1/silences", lyonOperator).bodyAsJsonObject())).isEmpty();

    assertThat(harness.delete("/api/v1/silences/" + id, operator).statusCode()).isEqualTo(204);
    assertThat(harness.get("/api/v1/silences/" + id, operator).statusCode()).isEqualTo(404);
    assertThat(ids(harness.get("/api/v1/silences", operator).bodyAsJsonObject())).isEmpty();
  }

  @Test
  @DisplayName("refuses a silence with both targets or none, an end in the past, or an unknown device, saying why")
  void validation() throws Exception {
    var fleet = NotifyHarness.fleet();
    var admin = harness.admin(fleet);
    var later = Instant.now().plusSeconds(3600).toString();

    var both = harness.post("/api/v1/silences", admin, new JsonObject().put("nodeId", fleet.paris())
        .put("devEui", fleet.kitchenProbe()).put("until", later));
    var none = harness.post("/api/v1/silences", admin, new JsonObject().put("until", later));
    var past = harness.post("/api/v1/silences", admin, new JsonObject().put("nodeId", fleet.paris())
        .put("until", Instant.now().minusSeconds(60).toString()));
    var garbled = harness.post("/api/v1/silences", admin, new JsonObject().put("nodeId", fleet.paris()).put("until", "tomorrow"));
    var unknown = harness.post("/api/v1/silences", admin, new JsonObject().put("devEui", "00000000deadbeef").put("until", later));

    refused(both, "exactly one of nodeId and devEui");
    refused(none, "exactly one of nodeId and devEui");
    refused(past, "not in the future");
    refused(garbled, "RFC 3339");
    refused(unknown, "unknown device 00000000deadbeef");
  }

  @Test
  @DisplayName("under a silence transitions are consumed but notify nobody; devices elsewhere still notify, and again once the silence is deleted")
  void quiet() throws Exception {
    var fleet = NotifyHarness.fleet();
    var admin = harness.admin(fleet);
    var hook = "/hook/" + fleet.tenant();
    var secret = "s3cret-" + UUID.randomUUID();
    assertThat(harness.put("/api/v1/notification-channels/ops", admin, new JsonObject().put("nodeId", fleet.tenant())
        .put("kind", "webhook").put("url", harness.receiver.url(hook)).put("secret", secret)).statusCode()).isEqualTo(201);
    var later = Instant.now().plusSeconds(3600).toString();
    harness.post("/api/v1/silences", admin, new JsonObject().put("nodeId", fleet.paris()).put("until", later));
    var probeSilence = harness.post("/api/v1/silences", admin, new JsonObject().put("devEui", fleet.lyonProbe())
        .put("until", later)).bodyAsJsonObject().getString("id");

    harness.publish(NotifyHarness.transition(fleet, true, "a-kitchen", "opened", "critical"));
    var silencedProbe = harness.publish(NotifyHarness.transition(fleet, false, "a-lyon", "opened", "critical"));
    await().atMost(10, SECONDS).until(() -> harness.lastDelivered().equals(silencedProbe) && harness.pending() == 0);
    assertThat(harness.delete("/api/v1/silences/" + probeSilence, admin).statusCode()).isEqualTo(204);
    harness.publish(NotifyHarness.transition(fleet, false, "a-lyon", "acknowledged", "critical"));

    var received = harness.receiver.next(hook).json();
    assertThat(received.getString("id")).isEqualTo("a-lyon");
    assertThat(received.getString("transition")).isEqualTo("acknowledged");
    await().atMost(10, SECONDS).until(() -> harness.pending() == 0);
    assertThat(harness.receiver.of(hook)).as("nothing for the silenced kitchen nor the silenced probe").isEmpty();
    assertThat(harness.deliveries(fleet, "ops")).extracting(d -> d.getString("alertId")).containsExactly("a-lyon");
  }

  private static void refused(HttpResponse<Buffer> response, String why) {
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(response.bodyAsJsonObject().getString("message")).contains(why);
  }

  private static java.util.List<String> ids(JsonObject list) {
    return list.getJsonArray("silences").stream().map(s -> ((JsonObject) s).getString("id")).toList();
  }
}
