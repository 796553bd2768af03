package io.vigie.alert;

import static io.vigie.alert.AlertHarness.temperature;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.notify.WebhookReceiver;
import io.vigie.common.auth.Role;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * From a measurement to the receivers: the alert service evaluates, and its notifications reach a real webhook
 * receiver and a real SMTP server (GreenMail, configured by {@code VIGIE_SMTP_*}), while a receiver that never answers
 * holds its own delivery.
 */
@RealRedis
@DisplayName("Notifications of evaluated alerts")
class NotificationsEndToEndTest {
  private static final GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
  private static AlertHarness harness;
  private static WebhookReceiver receiver;
  private static HttpServer silent;
  private static final ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void launch(EmbeddedRedis server) throws Exception {
    smtp.start();
    var environment = Map.of("VIGIE_SMTP_HOST", "127.0.0.1", "VIGIE_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
        "VIGIE_SMTP_FROM", "vigie@example.com", "VIGIE_SMTP_STARTTLS", "disabled",
        "VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8", "VIGIE_NOTIFY_TIMEOUT_MS", "20000");
    harness = new AlertHarness(server.url() + "/11", null, environment, new JsonObject());
    var vertx = harness.running.vertx();
    receiver = new WebhookReceiver(vertx);
    silent = vertx.createHttpServer().requestHandler(held::add).listen(0, "127.0.0.1").await(10, SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) harness.stop();
    smtp.stop();
  }

  @Test
  @DisplayName("a receiver that never answers neither blocks nor slows evaluation: every transition of the measurements "
      + "(and a person's ack) reaches the other webhook, signed and in order, and one email per transition, while its "
      + "own first delivery is still waiting")
  void failingChannelNeverBlocksEvaluation() throws Exception {
    var fleet = harness.new Fleet().immediate();
    var admin = fleet.admin();
    var hook = webhook(fleet, "ops", "site-paris");
    var secret = "secret-" + fleet.tenant;
    channel(admin, "stuck", new JsonObject().put("nodeId", fleet.tenant).put("kind", "webhook")
        .put("url", "http://127.0.0.1:" + silent.actualPort() + "/never").put("secret", "another-" + secret));
    channel(admin, "haccp", new JsonObject().put("nodeId", fleet.tenant).put("kind", "email")
        .put("to", new JsonArray().add("haccp@" + fleet.tenant + ".example.com")));

    harness.evaluate(fleet.paris(1, 1, temperature(9.5)));
    var id = harness.nextChange(fleet.paris).getString("id");
    await().atMost(Duration.ofSeconds(10)).until(() -> !held.isEmpty());
    var started = System.nanoTime();
    harness.evaluate(fleet.paris(2, 2, temperature(10.0)));
    var acked = harness.post("/api/v1/alerts/" + id + "/ack", fleet.token(Role.OPERATOR, "site-paris"),
        new JsonObject().put("comment", "door closed"));
    assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(200);
    harness.evaluate(fleet.paris(3, 3, temperature(4.0)));
    harness.evaluate(fleet.paris(4, 4, temperature(9.0)));
    harness.evaluate(fleet.paris(5, 5, temperature(3.5)));
    var evaluating = Duration.ofNanos(System.nanoTime() - started);

    assertThat(evaluating).as("four evaluations and an ack while a delivery hangs for 20 s").isLessThan(Duration.ofSeconds(5));
    var transitions = List.of("opened", "acknowledged", "cleared", "opened", "cleared");
    for (var transition : transitions) {
      var request = receiver.next(hook);
      assertThat(request.json().getString("transition")).isEqualTo(transition);
      assertThat(request.json().getString("devEui")).isEqualTo(fleet.paris);
      assertThat(request.signedWith(secret)).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> messages(fleet).size() >= transitions.size());
    var subjects = messages(fleet).stream().map(NotificationsEndToEndTest::subject).toList();
    assertThat(subjects).as("one email per transition").hasSize(transitions.size())
        .allSatisfy(subject -> assertThat(subject).contains("(" + fleet.paris + ")"));
    assertThat(subjects).filteredOn(subject -> subject.contains("MAJEURE – alerte ouverte / MAJOR – alert opened")).hasSize(2);
    assertThat(subjects).filteredOn(subject -> subject.contains("MAJOR – alert acknowledged")).hasSize(1);
    assertThat(subjects).filteredOn(subject -> subject.contains("MAJOR – alert cleared")).hasSize(2);
    assertThat(held).as("the silent receiver still holds its first request, alone").hasSize(1);
    assertThat(harness.changesOf(fleet.paris)).as("alert.changed on the bus").extracting(c -> c.getString("transition"))
        .containsExactlyElementsOf(transitions.subList(1, transitions.size()));
  }

  @Test
  @DisplayName("a silence on a node holds its notifications until its end: the alert opens and is acknowledged under it "
      + "(on the bus, in the API) but no receiver hears of it; its clearing after the end is notified; other nodes are "
      + "notified throughout")
  void silenceUntilItsEnd() throws Exception {
    var now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    harness.clock.set(now);
    var fleet = harness.new Fleet().immediate();
    var hook = webhook(fleet, "night", fleet.tenant);
    var admin = fleet.admin();
    var until = now.plus(Duration.ofMinutes(30));
    var silence = harness.post("/api/v1/silences", admin, new JsonObject().put("nodeId", "kitchen-1")
        .put("until", until.toString()).put("comment", "defrost"));
    assertThat(silence.statusCode()).as(silence.bodyAsString()).isEqualTo(201);

    harness.evaluate(fleet.paris(1, 1, temperature(9.5)));
    var id = harness.nextChange(fleet.paris).getString("id");
    harness.clock.set(now.plus(Duration.ofMinutes(10)));
    var acked = harness.post("/api/v1/alerts/" + id + "/ack", admin, new JsonObject());
    assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(200);
    assertThat(harness.nextChange(fleet.paris).getString("transition")).isEqualTo("acknowledged");
    harness.evaluate(fleet.lyon(1, 1, temperature(9.5)));
    var lyon = receiver.next(hook).json();
    assertThat(lyon.getString("devEui")).as("the first request: nothing of the silenced kitchen before it").isEqualTo(fleet.lyon);
    assertThat(lyon.getString("transition")).isEqualTo("opened");
    assertThat(harness.get("/api/v1/silences?nodeId=site-paris", admin).bodyAsJsonObject().getJsonArray("silences"))
        .hasSize(1);

    harness.clock.set(until.plusSeconds(1));
    assertThat(harness.get("/api/v1/silences?nodeId=site-paris", admin).bodyAsJsonObject().getJsonArray("silences"))
        .as("no longer running").isEmpty();
    harness.evaluate(fleet.paris(2, 40, temperature(4.0)));
    var cleared = receiver.next(hook).json();
    assertThat(cleared.getString("devEui")).isEqualTo(fleet.paris);
    assertThat(cleared.getString("transition")).isEqualTo("cleared");
    assertThat(cleared.getString("id")).isEqualTo(id);
    assertThat(receiver.of(hook)).isEmpty();
  }

  /** A webhook channel {@code id} on the node to the test's receiver, secret {@code secret-<tenant>}; its path there. */
  private static String webhook(AlertHarness.Fleet fleet, String id, String nodeId) throws Exception {
    var hook = "/" + fleet.tenant + "/" + id;
    channel(fleet.admin(), id, new JsonObject().put("nodeId", nodeId).put("kind", "webhook")
        .put("url", receiver.url(hook)).put("secret", "secret-" + fleet.tenant));
    return hook;
  }

  private static void channel(String token, String id, JsonObject body) throws Exception {
    var response = harness.put("/api/v1/notification-channels/" + id, token, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<MimeMessage> messages(AlertHarness.Fleet fleet) {
    return Arrays.asList(smtp.getReceivedMessagesForDomain(fleet.tenant + ".example.com"));
  }
}
