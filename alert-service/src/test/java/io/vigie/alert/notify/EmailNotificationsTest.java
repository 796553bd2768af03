package io.vigie.alert.notify;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.alert.notify.NotifyHarness.Fleet;
import io.vigie.testing.RealRedis;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RealRedis
@DisplayName("Email notifications")
class EmailNotificationsTest {
  private static final GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
  @RegisterExtension
  static final NotifyHarness harness = NotifyHarness.on(3, 1, new JsonObject()).beforeLaunch(h -> {
    smtp.start();
    h.settings().put("smtp", new JsonObject().put("host", "127.0.0.1").put("port", smtp.getSmtp().getPort())
        .put("from", "vigie@example.com").put("starttls", "disabled"));
  });

  @AfterAll
  static void stopSmtp() {
    smtp.stop();
  }

  @Test
  @DisplayName("emails each transition once, in French then English, with the device, where it is, the rule, the value and the severity")
  void bilingual() throws Exception {
    var fleet = NotifyHarness.fleet();
    channel(fleet, "astreinte", fleet.paris(), null, "astreinte@" + fleet.tenant() + ".example.com");

    harness.publish(NotifyHarness.transition(fleet, true, "a1", "opened", "major"));

    var message = only(fleet);
    assertThat(message.getFrom()[0].toString()).isEqualTo("vigie@example.com");
    assertThat(message.getSubject()).isEqualTo("[Vigie] MAJEURE – alerte ouverte / MAJOR – alert opened: "
        + "Chambre froide 1 (" + fleet.kitchenProbe() + ") – ACME › Paris › Cuisine");
    var body = text(message);
    assertThat(body).contains("Alerte ouverte", "Appareil : Chambre froide 1 (" + fleet.kitchenProbe() + ")",
        "Emplacement : ACME › Paris › Cuisine", "Règle : Chaîne du froid", "Dernière valeur : temperature = 9.5",
        "Gravité : MAJEURE", "État : active", "Par : system");
    assertThat(body).contains("Alert opened", "Device: Chambre froide 1", "Location: ACME › Paris › Cuisine",
        "Rule: Chaîne du froid", "Last value: temperature = 9.5", "Severity: MAJOR", "Status: active");
    assertThat(body.indexOf("Alerte ouverte")).as("French first").isLessThan(body.indexOf("Alert opened"));
    await().atMost(10, SECONDS).until(() -> harness.pending() == 0);
    assertThat(harness.deliveries(fleet, "astreinte")).singleElement()
        .satisfies(d -> assertThat(d.getMap()).containsEntry("outcome", "delivered").containsEntry("attempt", 1));
  }

  @Test
  @DisplayName("a channel in one language writes only that one: English, or French")
  void oneLanguage() throws Exception {
    var fleet = NotifyHarness.fleet();
    channel(fleet, "night", fleet.lyon(), "en", "night@" + fleet.tenant() + ".example.com");
    channel(fleet, "jour", fleet.lyon(), "fr", "jour@" + fleet.tenant() + ".example.com");

    harness.publish(NotifyHarness.transition(fleet, false, "a2", "cleared", "critical"));

    await().atMost(10, SECONDS).until(() -> messages(fleet).size() == 2);
    var english = messages(fleet).stream().filter(m -> to(m).startsWith("night@")).findFirst().orElseThrow();
    var french = messages(fleet).stream().filter(m -> to(m).startsWith("jour@")).findFirst().orElseThrow();
    assertThat(english.getSubject()).isEqualTo("[Vigie] CRITICAL – alert cleared: Vitrine (" + fleet.lyonProbe() + ") – ACME › Lyon");
    assertThat(text(english)).contains("Alert cleared", "Status: cleared", "Cleared at: ").doesNotContain("Alerte", "levée");
    assertThat(french.getSubject()).isEqualTo("[Vigie] CRITIQUE – alerte levée : Vitrine (" + fleet.lyonProbe() + ") – ACME › Lyon");
    assertThat(text(french)).contains("Alerte levée", "État : levée", "Levée à : ").doesNotContain("Alert cleared", "Status");
  }

  private static void channel(Fleet fleet, String id, String nodeId, String lang, String to) throws Exception {
    var body = new JsonObject().put("nodeId", nodeId).put("kind", "email").put("to", new JsonArray().add(to));
    if (lang != null) body.put("lang", lang);
    var response = harness.put("/api/v1/notification-channels/" + id, harness.admin(fleet), body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(response.bodyAsJsonObject().getJsonArray("to")).containsExactly(to);
  }

  private static MimeMessage only(Fleet fleet) {
    await().atMost(10, SECONDS).until(() -> !messages(fleet).isEmpty());
    var messages = messages(fleet);
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  private static List<MimeMessage> messages(Fleet fleet) {
    return Arrays.asList(smtp.getReceivedMessagesForDomain(fleet.tenant() + ".example.com"));
  }

  private static String to(MimeMessage message) {
    try {
      return message.getAllRecipients()[0].toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(MimeMessage message) throws Exception {
    return message.getContent().toString().replace("\r\n", "\n");
  }
}
