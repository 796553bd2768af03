package io.vigie.platform;

import java.util.List;
import org.openqa.selenium.By;

/** A fridge's page: chart, ranges, alerts, device and uplinks. */
final class FridgePage extends Page {
  FridgePage(Browser browser) {
    super(browser, By.cssSelector("article.fridge h1"));
  }

  String title() {
    return browser.find(By.cssSelector("article.fridge h1")).getText();
  }

  /** Waits for the chart to be drawn (uPlot's canvas) with its legend, and returns the legend's labels. */
  List<String> chartLegend() {
    return browser.until(d -> {
      var labels = browser.texts(".chart .uplot .u-legend .u-label");
      return d.findElements(By.cssSelector(".chart .uplot canvas")).isEmpty() || labels.isEmpty() ? null : labels;
    });
  }

  /** Picks a time range (1h, 24h, 7d, 30d) and waits for its chart. */
  FridgePage range(String id) {
    browser.find(By.cssSelector("button[data-range='" + id + "']")).click();
    browser.until(d -> "true".equals(d.findElement(By.cssSelector("button[data-range='" + id + "']")).getAttribute("aria-pressed"))
        && !d.findElements(By.cssSelector(".chart .uplot canvas")).isEmpty());
    return this;
  }

  /** The fates shown in the recent uplinks table, newest first. */
  List<String> uplinkFates() {
    return browser.until(d -> {
      var fates = browser.texts("table.uplinks tbody .fate");
      return fates.isEmpty() ? null : fates;
    });
  }

  String temperature() {
    return browser.find(By.cssSelector(".fridge-now [data-test=temperature]")).getText();
  }
}
