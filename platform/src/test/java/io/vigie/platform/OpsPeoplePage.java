package io.vigie.platform;

import org.openqa.selenium.By;

/** People and rights: users, partner clients, who sees a place. */
final class OpsPeoplePage extends OpsPage {
  OpsPeoplePage(Browser browser) {
    super(browser, "ops-people-title");
  }

  static OpsPeoplePage open(Browser browser, String route) {
    return new OpsPeoplePage(go(browser, route));
  }

  /** Creates a partner client with one scope, and returns the id and the secret the page shows once. */
  String[] createClient(String name, String scope) {
    browser.find(By.cssSelector("[data-test=add-client]")).click();
    browser.find(By.cssSelector("[data-test=client-form] input[name=name]")).sendKeys(name);
    browser.find(By.cssSelector("[data-test=client-form] input[name=client-scopes][value='" + scope + "']")).click();
    browser.find(By.cssSelector("[data-test=save-client]")).click();
    var secret = browser.find(By.cssSelector("[data-test=client-secret]")).getAttribute("value");
    var panel = browser.find(By.cssSelector("[data-test=client-secret-panel]")).getText();
    var id = browser.until(d -> d.findElements(By.cssSelector("[data-test=clients] tr[data-client-id]")).stream()
        .map(row -> row.getAttribute("data-client-id")).filter(panel::contains).findFirst().orElse(null));
    return new String[] {id, secret, panel};
  }

  String text() {
    return browser.find(By.id("main")).getText();
  }
}
