package io.vigie.alert.notify;

import io.vertx.core.json.JsonObject;

/**
 * How one attempt to notify a channel went.
 *
 * @param status the HTTP status answered, or null
 * @param error why it failed (never a secret), or null when delivered
 * @param retryable whether another attempt may succeed (5xx, 408, 429, a timeout, no connection)
 */
record Attempt(Integer status, String error, boolean retryable) {

  static Attempt delivered(Integer status) {
    return new Attempt(status, null, false);
  }

  static Attempt failed(Integer status, String error, boolean retryable) {
    return new Attempt(status, error, retryable);
  }

  boolean ok() {
    return error == null;
  }

  /** What {@code POST …/{id}/test} answers. */
  JsonObject toJson() {
    var json = new JsonObject().put("delivered", ok());
    if (status != null) json.put("status", status);
    if (error != null) json.put("error", error);
    return json;
  }
}
