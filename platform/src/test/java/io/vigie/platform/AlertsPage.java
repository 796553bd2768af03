package io.vigie.platform;

import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/** The alert list: filters, acknowledge, clear. */
final class AlertsPage extends Page {
  AlertsPage(Browser browser) {
    super(browser, By.id("alerts-title"));
  }

  AlertsPage filterStatus(String status) {
    new Select(browser.find(By.cssSelector("select[name=status]"))).selectByValue(status);
    return this;
  }

  /** Waits for the alert of this device in the list and returns its status word. */
  String status(String devEui) {
    return browser.find(By.cssSelector(".alert-item:has(a[href='#/fridge/" + devEui + "']) [data-test=alert-status]")).getText();
  }

  /** The facts line of this device's alert: rule, since, last value, who acknowledged. */
  String facts(String devEui) {
    return browser.find(By.cssSelector(".alert-item:has(a[href='#/fridge/" + devEui + "']) .alert-facts")).getText();
  }

  /** Acknowledges the alert of this device with a comment, through the dialog, and waits until the list says so. */
  void acknowledge(String devEui, String comment) {
    browser.find(By.cssSelector(".alert-item:has(a[href='#/fridge/" + devEui + "']) [data-test=ack]")).click();
    browser.find(By.id("dialog-comment")).sendKeys(comment);
    browser.find(By.cssSelector("dialog [data-test=confirm]")).click();
    browser.until(d -> d.findElements(By.cssSelector("dialog")).isEmpty());
  }

  String announcement() {
    return browser.find(By.cssSelector("[data-test=announcement]")).getText();
  }
}
