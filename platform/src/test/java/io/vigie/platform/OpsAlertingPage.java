package io.vigie.platform;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Alerting at a place: its effective rules, notification channels and silences. */
final class OpsAlertingPage extends OpsPage {
  OpsAlertingPage(Browser browser) {
    super(browser, "ops-alerting-title");
  }

  /** Opens the page of a place by its URL. */
  static OpsAlertingPage open(Browser browser, String nodeId) {
    return new OpsAlertingPage(go(browser, "alerting/" + nodeId));
  }

  /** The "where it comes from" words of the rule with this id ("defined here", "inherited from default"…). */
  String ruleOrigin(String ruleId) {
    return browser.find(By.cssSelector("tr[data-rule-id='" + ruleId + "'] [data-test=origin]")).getText();
  }

  String ruleLimit(String ruleId) {
    return browser.find(By.cssSelector("tr[data-rule-id='" + ruleId + "'] [data-test=limit]")).getText();
  }

  /** What the rule is called on the page. */
  String ruleName(String ruleId) {
    return browser.find(By.cssSelector("tr[data-rule-id='" + ruleId + "'] [data-test=rule-name]")).getText();
  }

  /** Adds a rule "temperature above" defined here, and waits for the list to show it. */
  void addRule(String id, String name, String threshold, String severity) {
    browser.find(By.cssSelector("[data-test=add-rule]")).click();
    browser.find(By.cssSelector("[data-test=rule-form] input[name=id]")).sendKeys(id);
    browser.find(By.cssSelector("[data-test=rule-form] input[name=name]")).sendKeys(name);
    browser.find(By.cssSelector("[data-test=rule-form] input[name=threshold]")).sendKeys(threshold);
    new Select(browser.find(By.cssSelector("[data-test=rule-form] select[name=severity]"))).selectByValue(severity);
    browser.find(By.cssSelector("[data-test=save-rule]")).click();
    browser.until(d -> d.findElements(By.cssSelector("[data-test=rule-form]")).isEmpty()
        && !d.findElements(By.cssSelector("tr[data-rule-id='" + id + "']")).isEmpty());
  }

  /** Adds an email channel through the form, to one recipient. */
  void addEmail(String id, String recipient) {
    browser.find(By.cssSelector("[data-test=add-channel]")).click();
    browser.find(By.cssSelector("[data-test=channel-form] input[name=id]")).sendKeys(id);
    new Select(browser.find(By.cssSelector("[data-test=channel-form] select[name=kind]"))).selectByValue("email");
    browser.find(By.cssSelector("[data-test=channel-form] input[name=to]")).sendKeys(recipient);
    browser.find(By.cssSelector("[data-test=save-channel]")).click();
    browser.find(By.cssSelector("[data-channel-id='" + id + "']"));
  }

  /** Overrides an inherited rule here with a new threshold, and waits for the list to show the new rule. */
  void overrideThreshold(String ruleId, String threshold) {
    browser.find(By.cssSelector("tr[data-rule-id='" + ruleId + "'] [data-test=override]")).click();
    var field = browser.find(By.cssSelector("[data-test=rule-form] input[name=threshold]"));
    field.clear();
    field.sendKeys(threshold);
    var id = browser.find(By.cssSelector("[data-test=rule-form] input[name=id]")).getAttribute("value");
    browser.find(By.cssSelector("[data-test=save-rule]")).click();
    browser.until(d -> d.findElements(By.cssSelector("[data-test=rule-form]")).isEmpty()
        && !d.findElements(By.cssSelector("tr[data-rule-id='" + id + "']")).isEmpty());
  }

  /** Adds a webhook channel through the form; the secret is typed once. */
  void addWebhook(String id, String url, String secret) {
    browser.find(By.cssSelector("[data-test=add-channel]")).click();
    browser.find(By.cssSelector("[data-test=channel-form] input[name=id]")).sendKeys(id);
    browser.find(By.cssSelector("[data-test=channel-form] input[name=url]")).sendKeys(url);
    browser.find(By.cssSelector("[data-test=channel-form] input[name=secret]")).sendKeys(secret);
    browser.find(By.cssSelector("[data-test=save-channel]")).click();
    browser.find(By.cssSelector("[data-channel-id='" + id + "']"));
  }

  WebElement channel(String id) {
    return browser.find(By.cssSelector("[data-channel-id='" + id + "']"));
  }

  /** Clicks "Send a test" and returns the result the page shows once known. */
  String sendTest(String id) {
    channel(id).findElement(By.cssSelector("[data-test=test-channel]")).click();
    return browser.until(d -> {
      var text = d.findElement(By.cssSelector("[data-channel-id='" + id + "'] [data-test=test-result]")).getText();
      return text.startsWith("Test ") ? text : null;
    });
  }

  /** Opens the recent deliveries of a channel and returns their outcomes, newest first. */
  List<String> deliveries(String id) {
    channel(id).findElement(By.cssSelector("[data-test=deliveries-toggle]")).click();
    browser.find(By.cssSelector("[data-channel-id='" + id + "'] [data-test=deliveries]"));
    return browser.texts("[data-channel-id='" + id + "'] [data-test=deliveries] [data-test=outcome]");
  }

  /** Silences the whole place until the form's default (two hours from now) with a comment. */
  void silencePlace(String comment) {
    browser.find(By.cssSelector("[data-test=add-silence]")).click();
    new Select(browser.find(By.cssSelector("[data-test=silence-form] select[name=target]"))).selectByValue("");
    browser.find(By.cssSelector("[data-test=silence-form] input[name=comment]")).sendKeys(comment);
    browser.find(By.cssSelector("[data-test=save-silence]")).click();
    browser.until(d -> silenceComments().contains(comment));
  }

  List<String> silenceComments() {
    return browser.texts("[data-test=silences] tbody td:nth-child(3)");
  }

  void endSilence(String comment) {
    browser.find(By.xpath("//table[@data-test='silences']//tr[td[3][normalize-space()='" + comment + "']]//button[@data-test='end-silence']")).click();
    browser.until(d -> !silenceComments().contains(comment));
  }
}
