package io.vigie.platform;

import org.openqa.selenium.By;

/** A page of the alerting, people and audit pages ({@code #/ops/…}): shown once its title is there and nothing loads. */
abstract class OpsPage extends Page {
  OpsPage(Browser browser, String titleId) {
    super(browser, By.id(titleId));
    settled();
  }

  /** Waits until no part of the page says "loading". */
  void settled() {
    browser.until(d -> d.findElements(By.cssSelector(".ops [data-state=loading]")).isEmpty());
  }

  /** Switches the page's language in the header. */
  void language(String code) {
    new org.openqa.selenium.support.ui.Select(browser.find(By.id("language"))).selectByValue(code);
  }

  /** Opens {@code #/ops/<route>} by its URL, as typed or bookmarked. */
  static Browser go(Browser browser, String route) {
    browser.driver.get(browser.baseUrl + "/#/ops/" + route);
    return browser;
  }
}
