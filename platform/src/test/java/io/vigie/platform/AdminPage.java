package io.vigie.platform;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The administration pages (hierarchy, devices, device types, frame debugger): open one by its route, fill, click. */
final class AdminPage extends Page {
  AdminPage(Browser browser) {
    super(browser, By.cssSelector("[data-test=user]"));
  }

  /** Opens {@code #/admin/<route>} and waits for its heading. */
  AdminPage open(String route) {
    browser.driver.get(browser.baseUrl + "/#/admin/" + route);
    browser.find(By.cssSelector("main h1"));
    return this;
  }

  AdminPage type(String id, String text) {
    var field = browser.find(By.id(id));
    field.clear();
    field.sendKeys(text);
    return this;
  }

  /** Empties a field the way a person does (clearing it from a script would not tell the page). */
  AdminPage empty(String id) {
    browser.find(By.id(id)).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    return this;
  }

  AdminPage choose(String id, String value) {
    browser.until(d -> !d.findElements(By.cssSelector("#" + id + " option[value='" + value + "']")).isEmpty());
    new Select(browser.find(By.id(id))).selectByValue(value);
    return this;
  }

  AdminPage click(String dataTest) {
    browser.find(By.cssSelector("[data-test=" + dataTest + "]")).click();
    return this;
  }

  /** Waits for the element's text to be there and not empty, and returns it. */
  String text(String dataTest) {
    return browser.until(d -> {
      var text = d.findElement(By.cssSelector("[data-test=" + dataTest + "]")).getText();
      return text.isBlank() ? null : text;
    });
  }

  /** The editing controls offered on the page: buttons and links that create, change, move, delete or import. */
  List<String> editingControls() {
    return browser.all(By.cssSelector("main [data-test=add-child], main [data-test=edit-node], main [data-test=move-node], "
        + "main [data-test=delete-node], main [data-test=new-device], main [data-test=import-file], main [data-test=save], "
        + "main [data-test=delete-device], main [data-test=new-type], main [data-test=save-type], main [data-test=try], "
        + "main input:not([disabled]):not([readonly]):not([type=search]), main textarea:not([readonly])"))
        .stream().filter(WebElement::isDisplayed).map(e -> e.getAttribute("outerHTML")).toList();
  }

  /** Chooses a file for the import field (the field is shown but files are picked by path). */
  AdminPage upload(String path) {
    browser.find(By.cssSelector("[data-test=import-file]")).sendKeys(path);
    return this;
  }
}
