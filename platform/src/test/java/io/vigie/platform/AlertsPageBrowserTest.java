package io.vigie.platform;

import static io.vigie.platform.BrowserPlatform.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The alert pages of the dashboard in a real Chromium, written against API.md's Alerts routes (rules, effective
 * rules, alerts, ack): a critical rule on the tenant's root, fridges that warm above it.
 */
@DisplayName("The dashboard's alerts, in a browser")
class AlertsPageBrowserTest extends BrowserTest {
  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    open(new BrowserPlatform("alerts-page", 12, 800, 4, redis, elasticsearch, mqtt));
    var rule = join(world.client.put(world.adminToken(), "/api/v1/alert-rules/fridge-too-warm", new JsonObject()
        .put("nodeId", "default").put("name", "Too warm").put("kind", "above").put("measurement", "temperature")
        .put("threshold", 8.0).put("severity", "critical")));
    assertThat(rule.statusCode()).as(rule.bodyAsString()).isIn(200, 201);
  }

  @Test
  @DisplayName("a new critical alert appears live in the list and is announced; acknowledging it with a comment shows it acknowledged, by whom")
  void acknowledgeAnAlert() throws Exception {
    var probe = world.fleet.probes().get(0);
    var alerts = loginAsAdmin().openAlerts();

    world.send(probe, 12.0);
    String status = browser.until(Duration.ofSeconds(20), d -> alerts.status(probe.devEui()));
    assertThat(status).isEqualTo("Active");
    assertThat(alerts.announcement()).startsWith("New critical alert");
    assertThat(alerts.facts(probe.devEui())).as("the rule by its name, the value with its unit")
        .contains("Too warm").contains("last value 12.0 °C");
    browser.screenshot("alerts-active");

    alerts.acknowledge(probe.devEui(), "door left open, closed it");
    alerts.filterStatus("acknowledged");
    browser.until(d -> alerts.status(probe.devEui()).equals("Acknowledged"));
    assertThat(browser.texts(".alert-item .comment")).anyMatch(text -> text.contains("door left open, closed it"));
    assertThat(browser.texts(".alert-item .alert-facts")).anyMatch(text -> text.contains("acknowledged by admin"));
    browser.screenshot("alerts-acknowledged");

    var listed = join(world.client.http.get("/api/v1/alerts?status=acknowledged").bearerTokenAuthentication(world.adminToken())
        .send()).bodyAsJsonObject().getJsonArray("alerts");
    assertThat(listed.stream().map(JsonObject.class::cast).filter(a -> a.getString("devEui").equals(probe.devEui())))
        .singleElement().satisfies(a -> assertThat(a.getString("comment")).isEqualTo("door left open, closed it"));
  }

  @Test
  @DisplayName("the fridge page draws the threshold of the rule that applies as a line, and lists the fridge's alerts")
  void thresholdLines() throws Exception {
    var probe = world.fleet.probes().get(1);
    world.lastDay(probe);
    world.awaitStored(world.send(probe, 9.5));
    var wall = loginAsAdmin().openPlace(probe.siteId());
    wall.waitForTemperature(probe.devEui(), "9.5");
    assertThat(wall.status(probe.devEui())).isEqualTo("ALERT");
    var fridge = wall.openFridge(probe.devEui());
    browser.until(d -> fridge.chartLegend().stream().anyMatch(label -> label.startsWith("Too warm: above 8")));
    assertThat(browser.texts(".fridge .alert-item [data-test=alert-status]")).contains("Active");
    browser.screenshot("fridge-threshold");
  }
}
