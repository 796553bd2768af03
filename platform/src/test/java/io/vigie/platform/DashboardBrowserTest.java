package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.simulator.Probe;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard in a real Chromium against the whole platform: a fleet of simulated probes in Paris, Lyon, Lille
 * and Nantes, an admin and a Lyon-only viewer. Screenshots of every step under {@code target/screenshots/}.
 */
@DisplayName("The dashboard, in a browser")
class DashboardBrowserTest extends BrowserTest {
  static final String LYON_USER = "lyon-viewer";
  static final String LYON_PASSWORD = "lyon-viewer-password";

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    open(new BrowserPlatform("dashboard", 11, 700, 8, redis, elasticsearch, mqtt));
    world.createUser(LYON_USER, LYON_PASSWORD, "viewer", "site-lyon");
  }

  @Test
  @DisplayName("an admin logs in and sees the wall: every site in the tree, a tile per fridge with its temperature and status; the page speaks French too")
  void adminSeesTheWall() {
    var wall = loginAsAdmin();
    assertThat(wall.places()).contains("default", "site-paris", "site-lyon", "site-lille", "site-nantes");
    var probes = world.fleet.probes();
    browser.until(d -> wall.tiles().size() == 8 && probes.stream().allMatch(p -> wall.temperature(p.devEui()).contains("°C")));
    assertThat(wall.status(probes.get(0).devEui())).isIn("OK", "WARNING", "ALERT");
    browser.screenshot("wall");

    wall.switchLanguage("fr");
    browser.until(d -> wall.menuText().contains("Mur") && wall.menuText().contains("Alertes"));
    browser.screenshot("wall-fr");
    wall.switchLanguage("en");
    browser.until(d -> wall.menuText().contains("Wall"));
  }

  @Test
  @DisplayName("a wrong password is refused with a message, and a Lyon-scoped user sees Lyon only: no Paris in the tree nor on the wall")
  void lyonUserSeesLyonOnly() {
    assertThat(new LoginPage(browser).loginRefused(LYON_USER, "not-the-password")).contains("Wrong user name or password");
    browser.screenshot("login-refused");

    var wall = new LoginPage(browser).login(LYON_USER, LYON_PASSWORD);
    browser.until(d -> wall.tiles().size() == 2);
    assertThat(wall.places()).contains("site-lyon").doesNotContain("site-paris", "default", "site-lille");
    var lyon = world.fleet.probes().stream().filter(p -> p.siteId().equals("site-lyon")).map(Probe::devEui).toList();
    assertThat(wall.tiles()).containsExactlyInAnyOrderElementsOf(lyon);
    assertThat(browser.driver.getPageSource()).doesNotContain("Paris");
    browser.screenshot("wall-lyon-user");

    browser.driver.get(world.baseUrl + "/#/nodes/site-paris");
    browser.find(By.cssSelector("[data-state=error]"));
    assertThat(wall.tiles()).isEmpty();
  }

  @Test
  @DisplayName("a tile shows a new reading within seconds of the simulator's uplink, without a reload")
  void tileChangesLive() throws Exception {
    var wall = wallOf("site-paris");
    var probe = world.probeIn("site-paris");
    browser.script("window.vigieNotReloaded = true;");

    world.send(probe, 6.5);
    wall.waitForTemperature(probe.devEui(), "6.5");
    world.send(probe, -18.4);
    wall.waitForTemperature(probe.devEui(), "-18.4");
    assertThat(browser.script("return window.vigieNotReloaded === true")).isEqualTo(true);
    assertThat(wall.tile(probe.devEui()).getText()).contains("Seen");
    browser.screenshot("wall-live");
  }

  @Test
  @DisplayName("the fridge page draws the temperature history with its min–max band, switches ranges and lists the uplinks with their fate")
  void fridgePage() throws Exception {
    var probe = world.probeIn("site-lille");
    world.lastDay(probe);
    world.awaitStored(world.send(probe, 4.5));
    var wall = loginAsAdmin().openPlace("site-lille");
    wall.waitForTemperature(probe.devEui(), "4.5");
    var fridge = wall.openFridge(probe.devEui());
    assertThat(fridge.title()).startsWith("Fridge");
    assertThat(fridge.chartLegend()).contains("Average °C", "Min °C", "Max °C");
    assertThat(fridge.uplinkFates()).first().isEqualTo("stored");
    browser.screenshot("fridge");

    fridge.range("1h");
    assertThat(fridge.chartLegend()).contains("Average °C");
    world.send(probe, 5.5);
    browser.until(Duration.ofSeconds(15), d -> fridge.temperature().startsWith("5.5"));
    browser.screenshot("fridge-1h-live");
  }

  @Test
  @DisplayName("while the server is stopped the page shows the offline banner; after it restarts, live values come back with no reload")
  void offlineBannerAndRecovery() throws Exception {
    var wall = wallOf("site-nantes");
    browser.script("window.vigieNotReloaded = true;");

    world.stop();
    browser.until(d -> wall.offlineBanner());
    browser.screenshot("offline");

    world.start();
    browser.until(Duration.ofSeconds(30), d -> !wall.offlineBanner());
    var probe = world.probeIn("site-nantes");
    world.send(probe, 7.4);
    wall.waitForTemperature(probe.devEui(), "7.4");
    assertThat(browser.script("return window.vigieNotReloaded === true")).isEqualTo(true);
    browser.screenshot("back-online");
  }
}
