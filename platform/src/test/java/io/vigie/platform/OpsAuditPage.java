package io.vigie.platform;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/** The audit trail: filters, entries newest first, "Load more". */
final class OpsAuditPage extends OpsPage {
  OpsAuditPage(Browser browser) {
    super(browser, "ops-audit-title");
  }

  static OpsAuditPage open(Browser browser) {
    return new OpsAuditPage(go(browser, "audit"));
  }

  @Override
  void settled() {
    super.settled();
    browser.until(d -> d.findElements(By.cssSelector("[data-test=audit-more]:disabled")).isEmpty());
  }

  /** Sets the filters (null leaves one as it is) and shows the entries. */
  OpsAuditPage filter(String nodeId, String kind, String actor) {
    if (nodeId != null) new Select(browser.find(By.cssSelector("[data-test=audit-filters] select[name=node]"))).selectByValue(nodeId);
    if (kind != null) new Select(browser.find(By.cssSelector("[data-test=audit-filters] select[name=kind]"))).selectByValue(kind);
    if (actor != null) {
      var field = browser.find(By.cssSelector("[data-test=audit-filters] input[name=actor]"));
      field.clear();
      field.sendKeys(actor);
    }
    browser.find(By.cssSelector("[data-test=audit-search]")).click();
    settled();
    return this;
  }

  List<String> ids() {
    return browser.all(By.cssSelector("[data-audit-id]")).stream().map(e -> e.getAttribute("data-audit-id")).toList();
  }

  /** Each entry's text: actor, kind, action, target, time, place, changes, comment. */
  List<String> entries() {
    return browser.texts("[data-audit-id]");
  }

  @SuppressWarnings("unchecked")
  List<String> times() {
    return (List<String>) browser.script("return [...document.querySelectorAll('[data-audit-id] time')].map(t => t.getAttribute('datetime'));");
  }

  boolean hasMore() {
    return !browser.all(By.cssSelector("[data-test=audit-more]")).isEmpty();
  }

  void loadMore() {
    var before = ids().size();
    browser.find(By.cssSelector("[data-test=audit-more]")).click();
    browser.until(d -> ids().size() > before);
    settled();
  }

  String state() {
    return browser.find(By.cssSelector("#main [data-state]")).getText();
  }
}
