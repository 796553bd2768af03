package io.vigie.platform;

import org.openqa.selenium.By;

/** The login form, as a person uses it. */
final class LoginPage extends Page {
  LoginPage(Browser browser) {
    super(browser, null);
  }

  /** Logs in from a fresh page and waits for the wall (the user's name in the header). */
  WallPage login(String username, String password) {
    browser.fresh();
    browser.find(By.id("username")).sendKeys(username);
    browser.find(By.id("password")).sendKeys(password);
    browser.find(By.cssSelector("#login-form button[type=submit]")).click();
    browser.until(d -> d.findElement(By.cssSelector("[data-test=user]")).getText().equals(username));
    return new WallPage(browser);
  }

  /** Tries to log in and returns the error the form shows. */
  String loginRefused(String username, String password) {
    browser.fresh();
    browser.find(By.id("username")).sendKeys(username);
    browser.find(By.id("password")).sendKeys(password);
    browser.find(By.cssSelector("#login-form button[type=submit]")).click();
    return browser.find(By.cssSelector("[data-test=login-error]")).getText();
  }
}
