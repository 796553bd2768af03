package io.vigie.alert.notify.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the notifications of the alerts of a node's subtree go: a webhook (signed POST) or email. The webhook secret
 * is stored but never shown: {@link #toJson()} says {@code "secretSet":true}; {@link #toString()} omits it.
 *
 * @param minSeverity the least severe alert notified; null: every severity
 * @param lang an email's language, {@code fr} or {@code en}; null: both, French first
 */
public record Channel(String id, String tenant, String nodeId, Kind kind, String url, String secret, List<String> to,
                      Severity minSeverity, String lang) {

  public enum Kind {
    WEBHOOK, EMAIL;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s,;<>]+@[^@\\s,;<>]+\\.[^@\\s,;<>]+");
  public static final int MIN_SECRET = 16;
  public static final int MAX_RECIPIENTS = 20;

  public Channel {
    to = to == null ? List.of() : List.copyOf(to);
  }

  /**
   * The channel a {@code PUT /api/v1/notification-channels/{id}} body describes.
   *
   * @param previous the channel stored under that id, or null: a webhook without {@code secret} keeps its secret
   */
  public static Channel parse(String id, String tenant, JsonObject body, Channel previous) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a channel id is 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (body == null) throw new IllegalArgumentException("a channel needs a JSON body {\"nodeId\",\"kind\",…}");
    var nodeId = text(body, "nodeId");
    if (nodeId == null) throw new IllegalArgumentException("a channel needs nodeId: the node whose subtree it serves");
    var kindText = text(body, "kind");
    var min = text(body, "minSeverity") == null ? null : Severity.fromWire(text(body, "minSeverity"));
    if ("webhook".equals(kindText)) {
      var secret = text(body, "secret");
      if (secret == null && previous != null && previous.kind == Kind.WEBHOOK) secret = previous.secret;
      if (secret == null || secret.length() < MIN_SECRET || secret.length() > 256) {
        throw new IllegalArgumentException("a webhook channel needs a secret of " + MIN_SECRET + " to 256 characters");
      }
      return new Channel(id, tenant, nodeId, Kind.WEBHOOK, url(text(body, "url")), secret, List.of(), min, null);
    }
    if ("email".equals(kindText)) {
      var lang = text(body, "lang");
      if (lang != null && !lang.equals("fr") && !lang.equals("en")) {
        throw new IllegalArgumentException("lang must be fr or en (absent: both, French first)");
      }
      return new Channel(id, tenant, nodeId, Kind.EMAIL, null, null, recipients(body.getValue("to")), min, lang);
    }
    throw new IllegalArgumentException("kind must be webhook or email");
  }

  /** True when the alerts of this severity are notified here. */
  public boolean accepts(Severity severity) {
    return minSeverity == null || severity.atLeast(minSeverity);
  }

  /** The public JSON: never the secret. */
  public JsonObject toJson() {
    var json = new JsonObject().put("id", id).put("nodeId", nodeId).put("kind", kind.wire());
    if (kind == Kind.WEBHOOK) json.put("url", url).put("secretSet", secret != null);
    else json.put("to", new JsonArray(to));
    if (minSeverity != null) json.put("minSeverity", minSeverity.wire());
    if (lang != null) json.put("lang", lang);
    return json;
  }

  /** What is stored: the public JSON, the tenant and the secret. */
  public JsonObject toStored() {
    var json = toJson().put("tenant", tenant);
    json.remove("secretSet");
    if (secret != null) json.put("secret", secret);
    return json;
  }

  public static Channel fromStored(JsonObject json) {
    var min = json.getString("minSeverity");
    return new Channel(json.getString("id"), json.getString("tenant"), json.getString("nodeId"),
        "email".equals(json.getString("kind")) ? Kind.EMAIL : Kind.WEBHOOK, json.getString("url"),
        json.getString("secret"), json.getJsonArray("to", new JsonArray()).stream().map(String::valueOf).toList(),
        min == null ? null : Severity.fromWire(min), json.getString("lang"));
  }

  @Override
  public String toString() {
    return "channel " + id + " (" + kind.wire() + " on node " + nodeId + ")";
  }

  private static String url(String url) {
    if (url == null) throw new IllegalArgumentException("a webhook channel needs url (http or https)");
    try {
      var uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("url must be an absolute http or https URL, got '" + url + "'");
      }
      if (uri.getUserInfo() != null) throw new IllegalArgumentException("url must not carry credentials: use the secret");
      return url;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url is not a URL: " + e.getMessage());
    }
  }

  private static List<String> recipients(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_RECIPIENTS) {
      throw new IllegalArgumentException("an email channel needs to: 1 to " + MAX_RECIPIENTS + " addresses");
    }
    var out = new ArrayList<String>();
    for (var item : array) {
      if (!(item instanceof String address) || !EMAIL.matcher(address.trim()).matches()) {
        throw new IllegalArgumentException("to: '" + item + "' is not an email address");
      }
      out.add(address.trim());
    }
    return out;
  }

  private static String text(JsonObject body, String key) {
    var value = body.getValue(key);
    if (value == null) return null;
    if (!(value instanceof String s)) throw new IllegalArgumentException(key + " must be a string");
    return s.isBlank() ? null : s.trim();
  }
}
