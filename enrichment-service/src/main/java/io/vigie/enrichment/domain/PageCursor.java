package io.vigie.enrichment.domain;

import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next page of raw points starts: the sort values ({@code receivedAt} in epoch milliseconds, document id)
 * of the last document of the previous page, given to clients as opaque base64url ({@code next}) and handed back as
 * {@code cursor}.
 */
public record PageCursor(long receivedAtMillis, String id) {

  public String encode() {
    var json = new JsonArray().add(receivedAtMillis).add(id).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  public JsonArray searchAfter() {
    return new JsonArray().add(receivedAtMillis).add(id);
  }

  public static PageCursor decode(String cursor) {
    try {
      var json = new JsonArray(new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8));
      if (json.size() != 2 || !(json.getValue(0) instanceof Number t) || !(json.getValue(1) instanceof String id)) {
        throw new IllegalArgumentException("unexpected shape");
      }
      return new PageCursor(t.longValue(), id);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cursor is not one this API gave (pass back the 'next' of the previous page)");
    }
  }
}
