package io.vigie.common.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an audit entry may say about a change: the fields that differ between before and after, flattened to dotted
 * names ({@code activation.devAddr}), each {@code {"from","to"}}, except a secret (a key, password, secret or token,
 * wherever it is nested), which only ever appears as {@code {"changed":true}}.
 */
public final class Redaction {
  private static final JsonObject CHANGED = new JsonObject().put("changed", true);

  private Redaction() {}

  /** Whether a field holds a secret: {@code appSKey, nwkSKey, appKey, nwkKey, password, passwordHash, secret, clientSecret, token…}. */
  public static boolean isSecret(String field) {
    var name = field.substring(field.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return name.endsWith("skey") || name.endsWith("appkey") || name.endsWith("nwkkey") || name.equals("key")
        || name.contains("password") || name.contains("secret") || name.contains("token") || name.endsWith("masterkey");
  }

  /**
   * The changes from {@code before} to {@code after} (either may be null: a creation or a deletion), secrets as
   * {@code {"changed":true}}; empty when nothing differs.
   */
  public static JsonObject changes(JsonObject before, JsonObject after) {
    var from = flatten(before);
    var to = flatten(after);
    var fields = new TreeMap<String, Object>();
    from.keySet().forEach(f -> fields.put(f, null));
    to.keySet().forEach(f -> fields.put(f, null));
    var changes = new JsonObject();
    for (var field : fields.keySet()) {
      var was = from.get(field);
      var is = to.get(field);
      if (Objects.equals(was, is)) continue;
      changes.put(field, isSecret(field) ? CHANGED.copy() : new JsonObject().put("from", was).put("to", is));
    }
    return changes;
  }

  /** A copy of {@code json} without any secret field, at any depth (for values recorded whole). */
  public static JsonObject strip(JsonObject json) {
    if (json == null) return null;
    var out = new JsonObject();
    json.forEach(e -> {
      if (isSecret(e.getKey())) return;
      out.put(e.getKey(), e.getValue() instanceof JsonObject o ? strip(o) : e.getValue());
    });
    return out;
  }

  private static Map<String, Object> flatten(JsonObject json) {
    var flat = new TreeMap<String, Object>();
    if (json != null) flatten("", json, flat);
    return flat;
  }

  private static void flatten(String prefix, JsonObject json, Map<String, Object> flat) {
    json.forEach(e -> {
      var name = prefix + e.getKey();
      if (e.getValue() instanceof JsonObject nested) {
        flatten(name + ".", nested, flat); // an empty object has no field to compare
      } else if (e.getValue() instanceof JsonArray array) {
        flat.put(name, array.copy());
      } else {
        flat.put(name, e.getValue());
      }
    });
  }
}
