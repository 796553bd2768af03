package io.vigie.platform;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The wall: the tree of places and the fridge tiles. */
final class WallPage extends Page {
  WallPage(Browser browser) {
    super(browser, By.cssSelector(".tree a"));
  }

  /** Opens a place of the tree by clicking its link, and waits for its tiles to be loaded. */
  WallPage openPlace(String nodeId) {
    browser.find(By.cssSelector(".tree a[data-node-id='" + nodeId + "']")).click();
    browser.until(d -> d.findElement(By.cssSelector(".tree a[aria-current=page]")).getAttribute("data-node-id").equals(nodeId)
        && d.findElements(By.cssSelector(".tiles-section [data-state=loading]")).isEmpty());
    return this;
  }

  /** The node ids of the tree's links, in order. */
  List<String> places() {
    browser.find(By.cssSelector(".tree a"));
    return browser.all(By.cssSelector(".tree a")).stream().map(a -> a.getAttribute("data-node-id")).toList();
  }

  List<String> tiles() {
    return browser.all(By.cssSelector(".tile")).stream().map(tile -> tile.getAttribute("data-dev-eui")).toList();
  }

  WebElement tile(String devEui) {
    return browser.find(By.cssSelector(".tile[data-dev-eui='" + devEui + "']"));
  }

  String temperature(String devEui) {
    return tile(devEui).findElement(By.cssSelector("[data-test=temperature]")).getText();
  }

  String status(String devEui) {
    return tile(devEui).findElement(By.cssSelector("[data-test=status]")).getText();
  }

  /** Waits until the tile shows {@code expected} (e.g. "6.5 °C"). */
  void waitForTemperature(String devEui, String expected) {
    try {
      browser.until(d -> temperature(devEui).replace('\n', ' ').startsWith(expected));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the tile of " + devEui + " shows " + temperature(devEui) + ", not " + expected, e);
    }
  }

  FridgePage openFridge(String devEui) {
    tile(devEui).findElement(By.tagName("a")).click();
    return new FridgePage(browser);
  }

  boolean offlineBanner() {
    return !browser.all(By.cssSelector("[data-test=offline-banner]")).isEmpty();
  }

  void switchLanguage(String code) {
    new org.openqa.selenium.support.ui.Select(browser.find(By.id("language"))).selectByValue(code);
  }

  String menuText() {
    return browser.find(By.cssSelector("nav.menu")).getText();
  }

  AlertsPage openAlerts() {
    browser.find(By.cssSelector("nav.menu a[href='#/alerts']")).click();
    return new AlertsPage(browser);
  }
}
