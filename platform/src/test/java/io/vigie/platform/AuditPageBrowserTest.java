package io.vigie.platform;

import static io.vigie.platform.BrowserPlatform.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedElasticsearch;
import io.vigie.embedded.EmbeddedMqttBroker;
import io.vigie.embedded.EmbeddedRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The audit trail page in a real Chromium, written against API.md's {@code GET /api/v1/audit} (built apart: run this
 * class once the audit route is merged). Changes are made over the API by an admin of the tenant and by an admin of
 * Paris only; the page shows them newest first, filters them, pages with "Load more", and never shows a secret.
 */
@DisplayName("The audit trail page, in a browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditPageBrowserTest extends BrowserTest {
  static final String PARIS_ADMIN = "paris-admin", PASSWORD = "audit-page-password";
  static final String WEBHOOK_SECRET = "audit-webhook-secret-0123456789";

  @BeforeAll
  static void start(EmbeddedRedis redis, EmbeddedElasticsearch elasticsearch, EmbeddedMqttBroker mqtt) throws Exception {
    open(new BrowserPlatform("audit-page", 15, 950, 4, redis, elasticsearch, mqtt));
    createUser(PARIS_ADMIN, PASSWORD, "admin", "site-paris");
    var token = world.adminToken();
    ok(world.client.put(token, "/api/v1/alert-rules/lille-warm", new JsonObject().put("nodeId", "site-lille").put("kind", "above")
        .put("measurement", "temperature").put("threshold", 7.0).put("severity", "major")));
    ok(world.client.put(token, "/api/v1/notification-channels/lille-hook", new JsonObject().put("nodeId", "site-lille")
        .put("kind", "webhook").put("url", "http://127.0.0.1:9/hook").put("secret", WEBHOOK_SECRET)));
    ok(world.client.http.patch("/api/v1/nodes/site-lille-kitchen").bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("name", "Cuisine")));
    var paris = join(world.client.token(PARIS_ADMIN, PASSWORD));
    ok(world.client.put(paris, "/api/v1/alert-rules/paris-cold", new JsonObject().put("nodeId", "site-paris").put("kind", "below")
        .put("measurement", "temperature").put("threshold", 0.0).put("severity", "minor")));
    // a reading above lille-warm opens an alert, which a person acknowledges with a comment
    world.send(world.probeIn("site-lille"), 12.0);
    var alert = await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/alerts?nodeId=site-lille&status=active").getJsonArray("alerts"), alerts -> !alerts.isEmpty()).getJsonObject(0);
    ok(world.client.post(token, "/api/v1/alerts/" + alert.getString("id") + "/ack", new JsonObject().put("comment", "door left open")));
    ok(world.client.post(token, "/api/v1/silences", new JsonObject().put("nodeId", "site-lille")
        .put("until", Instant.now().plus(Duration.ofHours(3)).toString()).put("comment", "defrost")));
  }

  @Test
  @Order(1) // first: the silence made at the start is still the newest change
  @DisplayName("an admin sees every change newest first (an alert's acknowledgement too), with who, what and what changed (times and places readable), and never a secret, neither on the page nor in what it received")
  void changesNewestFirstWithoutSecrets() {
    var crawler = new SpaCrawler(browser);
    loginAsAdmin();
    var audit = OpsAuditPage.open(browser);
    browser.until(d -> audit.entries().stream().anyMatch(e -> e.contains("defrost")));
    var entries = audit.entries();
    assertThat(entries.get(0)).contains("admin").contains("defrost")
        .as("the silence's times and place as a person reads them, not as stored")
        .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T").doesNotContain("[\"default\"", "site-lille");
    assertThat(entries).anyMatch(e -> e.contains("lille-warm")).anyMatch(e -> e.contains("lille-hook"))
        .anyMatch(e -> e.contains("Kitchen") && e.contains("Cuisine"))
        .anyMatch(e -> e.contains(PARIS_ADMIN) && e.contains("paris-cold"))
        .anyMatch(e -> e.contains("ack") && e.contains("door left open") && e.contains("active") && e.contains("acknowledged"))
        .anyMatch(e -> e.contains("lille-hook") && e.contains("secret") && e.contains("never shown"));
    assertThat(audit.times().stream().map(Instant::parse).toList()).isSortedAccordingTo(Comparator.<Instant>naturalOrder().reversed());
    browser.screenshot("ops-audit");

    var answers = new LinkedHashMap<String, String>();
    crawler.answers().forEach(answer -> answers.put("answer " + answers.size(), answer));
    answers.put("page", browser.driver.getPageSource());
    assertThat(SpaCrawler.occurrences(answers, List.of(WEBHOOK_SECRET, PASSWORD, world.adminPassword))).isEmpty();
  }

  @Test
  @Order(2)
  @DisplayName("the filters narrow the trail to a subtree, a kind and an actor; an admin of Paris sees Paris's changes only")
  void filters() {
    loginAsAdmin();
    var audit = OpsAuditPage.open(browser);
    audit.filter("site-lille", "rule", null);
    // the page shows the filtered trail once its answer is in: wait for that, not for the first list
    browser.until(d -> onlyAnd(audit.entries(), e -> e.contains("alert rule"), e -> e.contains("lille-warm")));
    assertThat(audit.entries()).noneMatch(e -> e.contains("paris-cold"));
    audit.filter("default", "", PARIS_ADMIN);
    browser.until(d -> onlyAnd(audit.entries(), e -> e.contains(PARIS_ADMIN), e -> e.contains("paris-cold")));
    browser.screenshot("ops-audit-filtered");

    new LoginPage(browser).login(PARIS_ADMIN, PASSWORD);
    var parisAudit = OpsAuditPage.open(browser);
    browser.until(d -> parisAudit.entries().stream().anyMatch(e -> e.contains("paris-cold")));
    assertThat(parisAudit.entries()).noneMatch(e -> e.contains("lille") || e.contains("Lille") || e.contains("defrost"));
  }

  /** Every entry passes {@code all} and one passes {@code one}. */
  private static boolean onlyAnd(List<String> entries, Predicate<String> all, Predicate<String> one) {
    return entries.stream().allMatch(all) && entries.stream().anyMatch(one);
  }

  @Test
  @Order(4) // last: its 60 changes are newer than everything the other tests look for
  @DisplayName("a long trail comes a page at a time: \"Load more\" appends the older entries, still newest first")
  void loadMore() throws Exception {
    var token = world.adminToken();
    for (int i = 0; i < 60; i++) {
      ok(world.client.http.patch("/api/v1/nodes/site-nantes-kitchen").bearerTokenAuthentication(token)
          .sendJsonObject(new JsonObject().put("attributes", new JsonObject().put("visit", i))));
    }
    loginAsAdmin();
    var audit = OpsAuditPage.open(browser);
    browser.until(d -> audit.ids().size() >= 50);
    assertThat(audit.ids()).hasSize(50);
    assertThat(audit.hasMore()).isTrue();
    audit.loadMore();
    assertThat(audit.ids()).hasSizeGreaterThan(60).doesNotHaveDuplicates();
    assertThat(audit.times().stream().map(Instant::parse).toList()).isSortedAccordingTo(Comparator.<Instant>naturalOrder().reversed());
    browser.screenshot("ops-audit-more");
  }

  @Test
  @Order(3)
  @DisplayName("an operator is not offered the audit trail; typed in, the page says only administrators may read it")
  void operatorIsNotOffered() throws Exception {
    createUser("lille-operator", PASSWORD, "operator", "site-lille");
    new LoginPage(browser).login("lille-operator", PASSWORD);
    assertThat(browser.texts("nav.menu a")).doesNotContain("Audit trail");
    var audit = OpsAuditPage.open(browser);
    assertThat(audit.state()).isEqualTo("Only administrators may read the audit trail.");
  }
}
