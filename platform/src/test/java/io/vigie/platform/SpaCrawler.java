package io.vigie.platform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.By;

/**
 * Visits every page of the dashboard a logged-in user can reach by following links (the SPA's {@code #/…} routes),
 * and keeps what each page showed; every answer the page received — {@code fetch} bodies, XHR bodies and WebSocket
 * messages (the live data) — is recorded by a script installed before the page's own ones (Chrome DevTools
 * {@code Page.addScriptToEvaluateOnNewDocument}), so that a test can look for what must not be there.
 */
final class SpaCrawler {
  private static final String RECORDER = """
      (() => {
        if (window.__vigieAnswers) return;
        const answers = window.__vigieAnswers = [];
        window.__vigiePending = 0;
        const fetch = window.fetch;
        window.fetch = async (...args) => {
          window.__vigiePending++;
          try {
            const response = await fetch(...args);
            const url = String(args[0] && args[0].url ? args[0].url : args[0]);
            window.__vigiePending++;
            response.clone().text().then(text => answers.push(url + ' ' + text), () => {})
              .finally(() => window.__vigiePending--);
            return response;
          } finally {
            window.__vigiePending--;
          }
        };
        const send = XMLHttpRequest.prototype.send;
        XMLHttpRequest.prototype.send = function (...args) {
          this.addEventListener('load', () => { try { answers.push('xhr ' + this.responseText); } catch (e) { /* binary */ } });
          return send.apply(this, args);
        };
        const Socket = window.WebSocket;
        window.WebSocket = class extends Socket {
          constructor(...args) {
            super(...args);
            this.addEventListener('message', event => {
              if (typeof event.data === 'string') answers.push('ws ' + event.data);
              else if (event.data && event.data.text) event.data.text().then(text => answers.push('ws ' + text));
            });
          }
        };
      })();""";

  private final Browser browser;

  SpaCrawler(Browser browser) {
    this.browser = browser;
    browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
  }

  /** Goes to a route of the already loaded SPA (no reload) and waits until it has loaded what it shows. */
  void visit(String hash) {
    browser.script("location.hash = arguments[0];", hash);
    settle();
  }

  /** Waits until no request is in flight and no view says "loading". */
  void settle() {
    browser.until(d -> Boolean.TRUE.equals(browser.script(
        "return (window.__vigiePending ?? 0) === 0 && !document.querySelector('[data-state=loading]');")));
  }

  /** Every route reachable by links from {@code start} (breadth first, at most {@code max}), each with its HTML. */
  Map<String, String> crawl(String start, int max) {
    var pages = new LinkedHashMap<String, String>();
    var queue = new ArrayDeque<String>(List.of(start));
    var queued = new LinkedHashSet<String>(queue);
    while (!queue.isEmpty() && pages.size() < max) {
      var hash = queue.poll();
      visit(hash);
      pages.put(hash, browser.driver.getPageSource());
      for (var link : links()) {
        if (queued.add(link)) queue.add(link);
      }
    }
    return pages;
  }

  @SuppressWarnings("unchecked")
  List<String> links() {
    browser.find(By.id("main"));
    return new ArrayList<>((List<String>) browser.script(
        "return [...document.querySelectorAll('a[href^=\"#/\"]')].map(a => a.getAttribute('href'));"));
  }

  @SuppressWarnings("unchecked")
  List<String> answers() {
    return (List<String>) browser.script("return window.__vigieAnswers ?? [];");
  }

  /** The places (a page's route, or an answer's first 120 characters) where one of {@code words} occurs, any case. */
  static List<String> occurrences(Map<String, String> texts, List<String> words) {
    var found = new ArrayList<String>();
    texts.forEach((where, text) -> {
      var lower = text.toLowerCase(Locale.ROOT);
      for (var word : words) {
        var at = lower.indexOf(word.toLowerCase(Locale.ROOT));
        if (at >= 0) found.add(word + " in " + where + ": …" + text.substring(Math.max(0, at - 60), Math.min(text.length(), at + 60)) + "…");
      }
    });
    return found;
  }
}
