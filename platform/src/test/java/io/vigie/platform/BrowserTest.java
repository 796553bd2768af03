package io.vigie.platform;

import io.vigie.testing.RealElasticsearch;
import io.vigie.testing.RealMqtt;
import io.vigie.testing.RealRedis;
import org.junit.jupiter.api.AfterAll;

/** What the dashboard's browser test classes share: the real infrastructure, their {@link BrowserPlatform}, its browser. */
@RealRedis
@RealElasticsearch
@RealMqtt
abstract class BrowserTest {
  static BrowserPlatform world;
  static Browser browser;

  /** Called by each class's {@code @BeforeAll}. */
  static void open(BrowserPlatform platform) {
    world = platform;
    browser = platform.browser;
  }

  @AfterAll
  static void close() {
    if (world != null) world.close();
    world = null;
  }

  WallPage loginAsAdmin() {
    return new LoginPage(browser).login("admin", world.adminPassword);
  }

  /** Logs in as admin, opens the wall of {@code siteId}, and waits for the temperature of its first probe. */
  WallPage wallOf(String siteId) {
    var wall = loginAsAdmin().openPlace(siteId);
    var probe = world.probeIn(siteId);
    browser.until(d -> wall.temperature(probe.devEui()).contains("°C"));
    return wall;
  }
}
