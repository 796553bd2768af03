package io.vigie.platform;

import static io.vigie.platform.BrowserPlatform.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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

  /** The answer of a request that must succeed (2xx), as JSON (empty without a body). */
  static JsonObject ok(Future<HttpResponse<Buffer>> request) throws Exception {
    var response = join(request);
    assertThat(response.statusCode()).as(response.bodyAsString()).isBetween(200, 299);
    return response.body() == null || response.body().length() == 0 ? new JsonObject() : response.bodyAsJsonObject();
  }

  /** What the admin reads at {@code path} (a 2xx expected). */
  static JsonObject get(String path) throws Exception {
    return ok(world.client.http.get(path).bearerTokenAuthentication(world.adminToken()).send());
  }

  /** A user of one scope, created by the admin. */
  static void createUser(String username, String password, String role, String scope) throws Exception {
    ok(world.client.post(world.adminToken(), "/api/v1/users", new JsonObject().put("username", username).put("password", password)
        .put("role", role).put("scopes", new JsonArray().add(scope))));
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
