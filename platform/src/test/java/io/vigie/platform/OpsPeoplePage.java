package io.vigie.platform;

import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

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

  /** Creates a user with one scope ticked in the tree, and waits for its row. */
  void createUser(String username, String password, String role, String scope) {
    browser.find(By.cssSelector("[data-test=add-user]")).click();
    browser.find(By.cssSelector("[data-test=user-form] input[name=username]")).sendKeys(username);
    browser.find(By.cssSelector("[data-test=user-form] input[name=password]")).sendKeys(password);
    new Select(browser.find(By.cssSelector("[data-test=user-form] select[name=role]"))).selectByValue(role);
    browser.find(By.cssSelector("[data-test=user-form] input[name=scopes][value='" + scope + "']")).click();
    browser.find(By.cssSelector("[data-test=save-user]")).click();
    browser.find(By.cssSelector("[data-test=users] tr[data-username='" + username + "']"));
  }

  String text() {
    return browser.find(By.id("main")).getText();
  }
}
