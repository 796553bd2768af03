package io.vigie.alert.notify.domain;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The subject and plain-text body of one transition's email, in French, English, or both (French first): the
 * device, where it is, the rule, the value, the severity and the times.
 */
public record EmailText(String subject, String body) {
  private static final Map<String, String> FR = words("fr");
  private static final Map<String, String> EN = words("en");

  /**
   * @param deviceName the device's name, or null (its DevEUI is shown)
   * @param where the names of the path, root first, or null (the node ids are shown)
   * @param lang {@code fr}, {@code en}, or null for both
   */
  public static EmailText of(Transition transition, String deviceName, List<String> where, String lang) {
    var alert = transition.alert();
    var device = deviceName == null ? alert.getString("devEui", "?") : deviceName + " (" + alert.getString("devEui", "?") + ")";
    var place = String.join(" › ", where == null ? transition.pathIds() : where);
    var languages = lang == null ? List.of(FR, EN) : List.of("en".equals(lang) ? EN : FR);
    var subject = new StringBuilder("[Vigie] ");
    var body = new StringBuilder();
    for (int i = 0; i < languages.size(); i++) {
      var words = languages.get(i);
      if (i > 0) {
        subject.append(" / ");
        body.append("\n----------------------------------------\n\n");
      }
      subject.append(word(words, transition.severity().wire())).append(" – ").append(word(words, transition.kind()));
      body.append(section(words, transition, alert, device, place));
    }
    subject.append(languages.size() == 1 ? languages.get(0).get("sep") : ": ").append(device);
    if (!place.isEmpty()) subject.append(" – ").append(place);
    return new EmailText(subject.toString(), body.toString());
  }

  private static String section(Map<String, String> w, Transition transition, JsonObject alert, String device, String place) {
    var s = new StringBuilder();
    var heading = word(w, transition.kind());
    s.append(Character.toUpperCase(heading.charAt(0))).append(heading.substring(1)).append("\n\n");
    var sep = w.get("sep");
    line(s, w.get("device"), sep, device);
    line(s, w.get("where"), sep, place);
    line(s, w.get("rule"), sep, alert.getString("ruleName", alert.getString("ruleId")));
    var value = alert.getValue("lastValue");
    var measurement = alert.getString("measurement");
    line(s, w.get("value"), sep, value == null ? null : measurement == null ? String.valueOf(value) : measurement + " = " + value);
    line(s, w.get("severity"), sep, word(w, transition.severity().wire()));
    var status = alert.getString("status");
    line(s, w.get("status"), sep, status == null ? null : w.getOrDefault("status." + status, word(w, status)));
    line(s, w.get("startedAt"), sep, alert.getString("startedAt"));
    line(s, w.get("at"), sep, alert.getString("at"));
    line(s, w.get("by"), sep, alert.getString("by"));
    line(s, w.get("comment"), sep, alert.getString("comment"));
    line(s, w.get("clearedAt"), sep, alert.getString("clearedAt"));
    line(s, w.get("alert"), sep, alert.getString("id"));
    return s.toString();
  }

  private static void line(StringBuilder s, String label, String sep, String value) {
    if (value != null && !value.isEmpty()) s.append(label).append(sep).append(value).append('\n');
  }

  /** The words of {@code email-<lang>.properties}, next to this package's classes. */
  private static Map<String, String> words(String lang) {
    var resource = "/io/vigie/alert/notify/email-" + lang + ".properties";
    try (var in = EmailText.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is missing");
      var properties = new Properties();
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      var words = new HashMap<String, String>();
      properties.stringPropertyNames().forEach(key -> words.put(key, properties.getProperty(key)));
      return Map.copyOf(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String word(Map<String, String> words, String key) {
    return key == null ? "?" : words.getOrDefault(key, key);
  }
}
