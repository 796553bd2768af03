package io.vigie.platform;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven by the system's chromedriver (Debian {@code chromium} and {@code chromium-driver};
 * {@code VIGIE_CHROMIUM} / {@code VIGIE_CHROMEDRIVER} override the paths): nothing is downloaded. Screenshots go to
 * {@code target/screenshots/}, each at desktop and at phone width.
 */
final class Browser implements AutoCloseable {
  static final Dimension DESKTOP = new Dimension(1366, 900);
  static final Dimension PHONE = new Dimension(390, 844);
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;
  final String baseUrl;

  Browser(String baseUrl) {
    this.baseUrl = baseUrl;
    var chromedriver = path("VIGIE_CHROMEDRIVER", "/usr/bin/chromedriver");
    System.setProperty("webdriver.chrome.driver", chromedriver);
    var options = new ChromeOptions().setBinary(path("VIGIE_CHROMIUM", "/usr/bin/chromium"))
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US",
            "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
    var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver)).build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(DESKTOP);
  }

  private static String path(String variable, String fallback) {
    var value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** Opens the dashboard logged out, in English. */
  void fresh() {
    driver.get(baseUrl + "/");
    script("sessionStorage.clear(); localStorage.clear();");
    driver.navigate().refresh();
    driver.manage().window().setSize(DESKTOP);
  }

  Object script(String code, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(code, arguments);
  }

  <T> T until(Function<WebDriver, T> condition) {
    return until(WAIT, condition);
  }

  /** Waits for a condition; elements that are not there yet, or were just re-rendered (stale), are looked up again. */
  <T> T until(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class).until(condition);
  }

  WebElement find(By by) {
    return until(d -> d.findElement(by));
  }

  List<WebElement> all(By by) {
    return driver.findElements(by);
  }

  /** The text of every element matching a CSS selector, read at once (a re-render cannot make it stale). */
  @SuppressWarnings("unchecked")
  List<String> texts(String css) {
    return (List<String>) script("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.trim());", css);
  }

  /** {@code target/screenshots/<name>-desktop.png} and {@code <name>-phone.png} (390×844). */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      for (var size : List.of(DESKTOP, PHONE)) {
        driver.manage().window().setSize(size);
        // the layout follows the new width before the picture (one animation frame)
        script("return new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));");
        var file = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(name + (size == DESKTOP ? "-desktop" : "-phone") + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      driver.manage().window().setSize(DESKTOP);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
