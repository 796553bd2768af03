package io.vigie.platform;

import org.openqa.selenium.By;

/** A page object: what a person does on one view of the dashboard, through {@link Browser}. */
abstract class Page {
  protected final Browser browser;

  /** @param shown an element that says the view is shown (waited for), or null */
  Page(Browser browser, By shown) {
    this.browser = browser;
    if (shown != null) browser.find(shown);
  }
}
