package io.vigie.platform;

import static io.vigie.platform.BrowserPlatform.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.simulator.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The alerting and people pages in a real Chromium: rules inherited and overridden, a webhook channel tested against a
 * real receiver, a silence, a partner client's secret shown once; and what a Lyon operator and a Lyon viewer are shown
 * — nothing of Paris, anywhere, and to the viewer no editing control.
 */
@DisplayName("The alerting and people pages, in a browser")
class OpsPagesBrowserTest extends BrowserTest {
  static final String PASSWORD = "ops-pages-password";
  static final String LYON_OPERATOR = "lyon-operator";
  static final String LYON_VIEWER = "lyon-viewer";
  /** Where the email channels' messages go. */
  static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
  /** Ids of Paris objects that name no place: its silence and an alert open there. */
  static final List<String> PARIS_IDS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    SMTP.start();
    open(new BrowserPlatform("ops-pages", 14, 900, 4, new JsonObject().put("smtp", new JsonObject().put("host", "127.0.0.1")
        .put("port", SMTP.getSmtp().getPort()).put("from", "vigie@example.com").put("starttls", "disabled")), redis, elasticsearch, mqtt));
    var token = world.adminToken();
    createUser(LYON_OPERATOR, PASSWORD, "operator", "site-lyon");
    createUser(LYON_VIEWER, PASSWORD, "viewer", "site-lyon");
    createUser("paris-tech", PASSWORD, "operator", "site-paris");
    // Lyon's own rule, and Paris things a Lyon user must never see
    ok(world.client.put(token, "/api/v1/alert-rules/lyon-door", new JsonObject().put("nodeId", "site-lyon").put("name", "Lyon door")
        .put("kind", "above").put("measurement", "temperature").put("threshold", 10.0).put("severity", "critical")));
    ok(world.client.put(token, "/api/v1/alert-rules/paris-too-cold", new JsonObject().put("nodeId", "site-paris")
        .put("name", "Paris too cold").put("kind", "below").put("measurement", "temperature").put("threshold", 0.0).put("severity", "minor")));
    ok(world.client.put(token, "/api/v1/notification-channels/paris-night", new JsonObject().put("nodeId", "site-paris")
        .put("kind", "webhook").put("url", "http://127.0.0.1:9/paris").put("secret", "paris-secret-0123456789")));
    PARIS_IDS.add(ok(world.client.post(token, "/api/v1/silences", new JsonObject().put("nodeId", "site-paris")
        .put("until", Instant.now().plus(Duration.ofDays(1)).toString()).put("comment", "Paris defrost"))).getString("id"));
    // an alert open in Paris (too cold), whose id a Lyon user must never meet either
    world.send(world.probeIn("site-paris"), -2.0);
    PARIS_IDS.add(await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/alerts?nodeId=site-paris&status=active")
        .getJsonArray("alerts"), alerts -> !alerts.isEmpty()).getJsonObject(0).getString("id"));
  }

  @AfterAll
  static void stopSmtp() {
    SMTP.stop();
  }

  @Test
  @DisplayName("the rules of a place say which are defined here and which are inherited; an override made in the page changes the effective rule")
  void rulesInheritedAndOverridden() throws Exception {
    loginAsAdmin();
    var page = OpsAlertingPage.open(browser, "site-lyon");
    assertThat(page.ruleOrigin("lyon-door")).isEqualTo("defined here");
    assertThat(page.ruleOrigin("default-temperature-above")).isEqualTo("inherited from Default");
    assertThat(page.ruleLimit("default-temperature-above")).startsWith("8.0");
    // the tenant's default rules have no name: they are called by what they watch, not by their ids
    assertThat(page.ruleName("default-temperature-above")).isEqualTo("Temperature above threshold");
    assertThat(page.ruleName("default-no-data")).isEqualTo("No data");
    browser.screenshot("ops-rules");

    page.overrideThreshold("default-temperature-above", "6");
    var override = "default-temperature-above.site-lyon";
    assertThat(page.ruleOrigin(override)).isEqualTo("defined here");
    assertThat(page.ruleLimit(override)).startsWith("6.0");
    assertThat(page.ruleName(override)).isEqualTo("Temperature above threshold");
    assertThat(browser.all(By.cssSelector("tr[data-rule-id='default-temperature-above']"))).isEmpty();
    browser.screenshot("ops-rules-overridden");
    page.language("fr");
    browser.until(d -> page.ruleOrigin(override).equals("définie ici"));
    assertThat(page.ruleOrigin("default-no-data")).isEqualTo("héritée de Default");
    browser.screenshot("ops-rules-fr");
    page.language("en");

    var effective = get("/api/v1/nodes/site-lyon/effective-rules").getJsonArray("rules").stream().map(JsonObject.class::cast).toList();
    assertThat(effective).extracting(r -> r.getString("id")).contains(override, "lyon-door").doesNotContain("default-temperature-above");
    assertThat(effective).filteredOn(r -> r.getString("id").equals(override)).singleElement()
        .satisfies(r -> assertThat(r.getDouble("threshold")).isEqualTo(6.0))
        .satisfies(r -> assertThat(r.getString("inheritedFrom")).isEqualTo("site-lyon"));
    var paris = get("/api/v1/nodes/site-paris/effective-rules").getJsonArray("rules").stream().map(JsonObject.class::cast).toList();
    assertThat(paris).filteredOn(r -> r.getString("id").equals("default-temperature-above")).singleElement()
        .satisfies(r -> assertThat(r.getDouble("threshold")).isEqualTo(8.0));
  }

  @Test
  @DisplayName("a webhook channel created in the page, its secret typed once and never shown back: \"send a test\" reaches a real receiver and the delivery is listed")
  void webhookChannelTested() throws Exception {
    var received = new CopyOnWriteArrayList<String>();
    HttpServer receiver = join(world.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(request.getHeader("X-Vigie-Event") + " " + request.getHeader("X-Vigie-Signature") + " " + body);
      request.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1"));
    try {
      loginAsAdmin();
      var page = OpsAlertingPage.open(browser, "site-lille");
      var secret = "lille-webhook-secret-42";
      page.addWebhook("lille-ops", "http://127.0.0.1:" + receiver.actualPort() + "/vigie", secret);
      assertThat(page.channel("lille-ops").getText()).contains("set (never shown)");
      assertThat(browser.driver.getPageSource()).doesNotContain(secret);

      assertThat(page.sendTest("lille-ops")).isEqualTo("Test delivered (HTTP 200).");
      assertThat(received).singleElement().satisfies(r -> assertThat(r).startsWith("alert.changed sha256=").contains("\"test\":true"));
      assertThat(page.deliveries("lille-ops")).first().isEqualTo("delivered");
      browser.screenshot("ops-channel-tested");

      assertThat(get("/api/v1/notification-channels/lille-ops").getBoolean("secretSet")).isTrue();
    } finally {
      receiver.close();
    }
  }

  @Test
  @DisplayName("a silence is created on a place with a comment, listed, and ended")
  void silenceCreatedAndEnded() throws Exception {
    loginAsAdmin();
    var page = OpsAlertingPage.open(browser, "site-nantes");
    page.silencePlace("defrost, night shift");
    assertThat(get("/api/v1/silences?nodeId=site-nantes").getJsonArray("silences").stream().map(JsonObject.class::cast))
        .anySatisfy(s -> assertThat(s.getString("comment")).isEqualTo("defrost, night shift"));
    browser.screenshot("ops-silence");

    page.endSilence("defrost, night shift");
    browser.find(By.cssSelector("section[aria-labelledby=ops-silences-title] [data-state=empty]"));
    assertThat(get("/api/v1/silences?nodeId=site-nantes").getJsonArray("silences")).isEmpty();
  }

  @Test
  @DisplayName("a partner client created in the page shows its secret once, which works, and never again after a reload; who sees Lyon lists it")
  void partnerClientSecretShownOnce() throws Exception {
    loginAsAdmin();
    var people = OpsPeoplePage.open(browser, "people");
    var created = people.createClient("Lyon partner app", "site-lyon");
    var clientId = created[0];
    var secret = created[1];
    assertThat(created[2]).contains("you will not see it again");
    assertThat(secret).isNotBlank();
    browser.screenshot("ops-client-secret");
    var token = join(world.client.http.post("/api/v1/auth/token").sendJsonObject(new JsonObject()
        .put("grant_type", "client_credentials").put("client_id", clientId).put("client_secret", secret)));
    assertThat(token.statusCode()).as(token.bodyAsString()).isEqualTo(200);

    browser.driver.navigate().refresh();
    var again = new OpsPeoplePage(browser);
    browser.find(By.cssSelector("[data-client-id='" + clientId + "']"));
    assertThat(browser.driver.getPageSource()).doesNotContain(secret);
    assertThat(again.text()).contains("Lyon partner app").doesNotContain("you will not see it again");
    browser.screenshot("ops-people");

    var access = OpsPeoplePage.open(browser, "access/site-lyon");
    browser.find(By.cssSelector("[data-test=access]"));
    assertThat(access.text()).contains(LYON_OPERATOR, LYON_VIEWER, "admin", "Lyon partner app").doesNotContain("paris-tech");
    browser.screenshot("ops-who-sees-lyon");
    OpsPeoplePage.open(browser, "people/user/" + LYON_OPERATOR);
    browser.find(By.cssSelector("[data-test=user-page] .tree a[data-node-id='site-lyon']"));
    assertThat(browser.all(By.cssSelector("[data-test=user-page] .tree a[data-node-id='site-paris']"))).isEmpty();
    browser.screenshot("ops-user");
  }

  @Test
  @DisplayName("a rule is added at a place and an email channel created there, in the page; the API then answers both")
  void ruleAndEmailChannelAdded() throws Exception {
    loginAsAdmin();
    var page = OpsAlertingPage.open(browser, "site-nantes");
    page.addRule("nantes-freezer", "Freezer too warm", "-15", "critical");
    assertThat(List.of(page.ruleName("nantes-freezer"), page.ruleOrigin("nantes-freezer"))).containsExactly("Freezer too warm", "defined here");
    var rule = get("/api/v1/nodes/site-nantes/effective-rules").getJsonArray("rules").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("id").equals("nantes-freezer")).findFirst().orElseThrow();
    assertThat(rule.getDouble("threshold")).isEqualTo(-15.0);
    assertThat(rule.getString("severity")).isEqualTo("critical");

    page.addEmail("nantes-quality", "qualite@example.com");
    assertThat(page.channel("nantes-quality").getText()).contains("qualite@example.com");
    assertThat(page.sendTest("nantes-quality")).isEqualTo("Test delivered.");
    assertThat(SMTP.getReceivedMessages()).singleElement()
        .satisfies(m -> assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("qualite@example.com"));
    browser.screenshot("ops-rule-email-added");
    var channel = get("/api/v1/notification-channels/nantes-quality");
    assertThat(channel.getString("kind")).isEqualTo("email");
    assertThat(channel.encode()).contains("qualite@example.com");
  }

  @Test
  @DisplayName("a user created in the page gets its role and the places ticked in the tree, logs in, and is shown seeing only those places")
  void userCreatedWithScopesFromTheTree() throws Exception {
    loginAsAdmin();
    OpsPeoplePage.open(browser, "people").createUser("nantes-night", "nantes-night-password", "operator", "site-nantes");
    assertThat(browser.find(By.cssSelector("[data-test=users] tr[data-username='nantes-night']")).getText()).contains("Nantes");
    browser.screenshot("ops-user-created");
    var users = get("/api/v1/users").getJsonArray("users").stream().map(JsonObject.class::cast)
        .filter(u -> u.getString("username").equals("nantes-night")).toList();
    assertThat(users).singleElement().satisfies(u -> assertThat(u.getString("role")).isEqualTo("operator"))
        .satisfies(u -> assertThat(u.getJsonArray("scopes")).containsExactly("site-nantes"));
    assertThat(join(world.client.token("nantes-night", "nantes-night-password"))).isNotBlank();
    OpsPeoplePage.open(browser, "people/user/nantes-night");
    browser.find(By.cssSelector("[data-test=user-page] .tree a[data-node-id='site-nantes']"));
    assertThat(browser.all(By.cssSelector("[data-test=user-page] .tree a[data-node-id='site-lyon']"))).isEmpty();
  }

  @Test
  @DisplayName("a Lyon operator sees no trace of Paris anywhere: every page and link reachable, their text and every answer received; a Paris URL is as not found as a missing one")
  void lyonOperatorSeesNoParis() throws Exception {
    var crawler = new SpaCrawler(browser);
    new LoginPage(browser).login(LYON_OPERATOR, PASSWORD);
    var pages = crawler.crawl("#/", 80);
    assertThat(pages.keySet()).contains("#/alerts", "#/ops/alerting", "#/admin/hierarchy", "#/admin/devices", "#/admin/types", "#/admin/frames")
        .anyMatch(route -> route.startsWith("#/fridge/")).anyMatch(route -> route.startsWith("#/nodes/site-lyon"))
        .anyMatch(route -> route.startsWith("#/admin/devices/70b3")).anyMatch(route -> route.startsWith("#/admin/hierarchy/site-lyon"));
    var paris = Stream.of(Stream.of("paris"), world.fleet.probes().stream().filter(p -> p.siteId().equals("site-paris"))
        .map(Probe::devEui), PARIS_IDS.stream()).flatMap(s -> s).toList();
    assertThat(paris).hasSizeGreaterThanOrEqualTo(4);
    assertThat(SpaCrawler.occurrences(pages, paris)).isEmpty();
    var answers = new LinkedHashMap<String, String>();
    var received = crawler.answers();
    for (int i = 0; i < received.size(); i++) answers.put("answer " + i + " " + received.get(i).substring(0, Math.min(120, received.get(i).length())), received.get(i));
    assertThat(answers).hasSizeGreaterThan(pages.size());
    assertThat(SpaCrawler.occurrences(answers, paris)).isEmpty();
    crawler.visit("#/ops/alerting/site-lyon");
    browser.screenshot("ops-lyon-operator");

    var parisProbe = world.probeIn("site-paris").devEui();
    assertThat(notFoundText(crawler, "#/fridge/" + parisProbe)).isEqualTo(notFoundText(crawler, "#/fridge/70b3d57ed0ffffff"));
    assertThat(notFoundText(crawler, "#/nodes/site-paris")).isEqualTo(notFoundText(crawler, "#/nodes/no-such-place"));
    assertThat(notFoundText(crawler, "#/ops/alerting/site-paris")).isEqualTo(notFoundText(crawler, "#/ops/alerting/no-such-place"))
        .isEqualTo("This place does not exist, or is not shared with you.");
    assertThat(notFoundText(crawler, "#/ops/access/site-paris")).isEqualTo(notFoundText(crawler, "#/ops/access/no-such-place"));
    // the administration pages: a Paris device or place is as unknown as one that does not exist
    assertThat(notFoundText(crawler, "#/admin/devices/" + parisProbe)).isEqualTo(notFoundText(crawler, "#/admin/devices/70b3d57ed0ffffff"));
    assertThat(notFoundText(crawler, "#/admin/hierarchy/site-paris")).isEqualTo(notFoundText(crawler, "#/admin/hierarchy/no-such-place"));
    assertThat(notFoundText(crawler, "#/ops/people/user/paris-tech")).isEqualTo(notFoundText(crawler, "#/ops/people/user/no-such-user"));
    crawler.visit("#/admin/devices?nodeId=site-paris");
    var parisList = browser.find(By.cssSelector("#main [data-state=empty]")).getText();
    crawler.visit("#/admin/devices?nodeId=no-such-place");
    assertThat(browser.find(By.cssSelector("#main [data-state=empty]")).getText()).isEqualTo(parisList);
  }

  @Test
  @DisplayName("what a Lyon operator may not do is not offered: no hierarchy editing, no device type saving (it is not scoped to the root), no people nor audit pages; devices are offered")
  void operatorOfferedOnlyWhatItMayDo() throws Exception {
    new LoginPage(browser).login(LYON_OPERATOR, PASSWORD);
    assertThat(browser.texts("nav.menu a")).contains("Devices", "Frame debugger").doesNotContain("People", "Audit trail");
    var page = new AdminPage(browser).open("hierarchy/site-lyon");
    browser.find(By.cssSelector("main [data-test=node]"));
    assertThat(browser.all(By.cssSelector("main [data-test=node-actions] button"))).isEmpty();
    page.open("types/lpp-fridge-probe");
    browser.find(By.cssSelector("main [data-test=type-facts]"));
    assertThat(browser.all(By.cssSelector("main [data-test=save-type], main [data-test=new-type]"))).isEmpty();
    page.open("devices/" + world.probeIn("site-lyon").devEui());
    assertThat(browser.find(By.cssSelector("main [data-test=save]")).isDisplayed()).isTrue();
    page.open("devices");
    assertThat(browser.find(By.cssSelector("main [data-test=new-device]")).isDisplayed()).isTrue();
  }

  private String notFoundText(SpaCrawler crawler, String route) {
    crawler.visit(route);
    return browser.find(By.cssSelector("#main [data-state=error]")).getText();
  }

  @Test
  @DisplayName("a Lyon viewer is offered no editing control on any page: no add, edit, delete, override, test, silence, acknowledge")
  void viewerOffersNoEditing() throws Exception {
    var probe = world.probeIn("site-lyon");
    world.send(probe, 14.0);
    browser.until(Duration.ofSeconds(30), d -> {
      try {
        return !get("/api/v1/alerts?nodeId=site-lyon&status=active").getJsonArray("alerts").isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
    var crawler = new SpaCrawler(browser);
    new LoginPage(browser).login(LYON_VIEWER, PASSWORD);
    var allowed = List.of("Log out", "Enable notifications", "1 h", "24 h", "7 days", "30 days", "Custom", "Export CSV", "Show",
        "Recent deliveries", "×", "Previous", "Next", "Menu"); // reading: ranges, export, lists and their pages, the phone menu
    Map<String, List<String>> offered = new LinkedHashMap<>();
    for (var route : crawler.crawl("#/", 80).keySet()) {
      crawler.visit(route);
      var buttons = browser.texts("button").stream().filter(text -> !allowed.contains(text)).toList();
      if (!buttons.isEmpty()) offered.put(route, buttons);
      if (route.equals("#/alerts")) {
        browser.find(By.cssSelector(".alert-item"));
        browser.screenshot("ops-viewer-alerts");
      }
    }
    assertThat(offered).isEmpty();
    assertThat(browser.all(By.cssSelector("nav.menu a[href='#/ops/people'], nav.menu a[href='#/ops/audit']"))).isEmpty();
    crawler.visit("#/ops/alerting/site-lyon");
    assertThat(browser.texts("[data-test=origin]")).contains("defined here", "inherited from a place above");
    browser.screenshot("ops-viewer-alerting");
  }
}
