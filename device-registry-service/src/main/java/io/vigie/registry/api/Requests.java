package io.vigie.registry.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.http.ApiException;
import io.vigie.registry.domain.Ids;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Request parsing and answers shared by the routes (the access rule is {@link NodeAccess}). */
final class Requests {
  private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
  static final int NAME_MAX = 200;

  private Requests() {}

  /** A body handler for one route: bounded, and never writing uploads to disk. */
  static BodyHandler bodies(long limit) {
    return BodyHandler.create(false).setBodyLimit(limit);
  }

  /** The JSON object body (400 when absent or not an object). */
  static JsonObject body(RoutingContext ctx) {
    var body = ctx.body();
    if (body == null || body.length() <= 0) throw ApiException.badRequest("a JSON object body is required");
    JsonObject json;
    try {
      json = body.asJsonObject();
    } catch (RuntimeException e) {
      throw ApiException.badRequest("the body must be a JSON object");
    }
    if (json == null) throw ApiException.badRequest("the body must be a JSON object");
    return json;
  }

  static String requiredString(JsonObject json, String field, int maxLength) {
    var value = json.getValue(field);
    if (!(value instanceof String s) || s.isBlank()) throw ApiException.badRequest(field + " is required (a non-empty string)");
    if (s.length() > maxLength) throw ApiException.badRequest(field + " is longer than " + maxLength + " characters");
    return s;
  }

  static String requiredId(JsonObject json, String field) {
    var value = requiredString(json, field, 64);
    if (!Ids.isId(value)) throw ApiException.badRequest(field + " must match [A-Za-z0-9._-]{1,64}");
    return value;
  }

  static String optionalString(JsonObject json, String field, int maxLength) {
    return json.getValue(field) == null ? null : requiredString(json, field, maxLength);
  }

  /** A non-empty array of distinct node ids (400 otherwise). */
  static List<String> scopes(JsonObject json, String field) {
    if (!(json.getValue(field) instanceof JsonArray array) || array.isEmpty() || array.size() > 100
        || !array.stream().allMatch(s -> s instanceof String id && Ids.isId(id))) {
      throw ApiException.badRequest(field + " must be a non-empty array of node ids (at most 100)");
    }
    return List.copyOf(new java.util.LinkedHashSet<>(array.stream().map(String::valueOf).toList()));
  }

  static JsonObject optionalObject(JsonObject json, String field) {
    var value = json.getValue(field);
    if (value == null) return null;
    if (!(value instanceof JsonObject object)) throw ApiException.badRequest(field + " must be a JSON object");
    return object;
  }

  /**
   * A failure as the API answers it: ours and validation errors as they are; the storage being unreachable
   * as 503 (the launcher adds Retry-After); anything else stays a 500.
   */
  static Throwable failure(Throwable failure) {
    if (failure instanceof ApiException || failure instanceof IllegalArgumentException) return failure;
    if (failure instanceof ConnectException || failure instanceof ClosedChannelException
        || String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT).contains("connection")) {
      LOG.warn("Redis unavailable: {}", failure.toString());
      return ApiException.unavailable("the registry's storage is unavailable");
    }
    return failure;
  }

  static List<String> append(List<String> ids, String id) {
    var out = new ArrayList<>(ids);
    out.add(id);
    return out;
  }

  static void ok(RoutingContext ctx, JsonObject json) {
    ctx.response().setStatusCode(200);
    ctx.json(json);
  }

  static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }

  static void created(RoutingContext ctx, String location, JsonObject json) {
    ctx.response().setStatusCode(201).putHeader("Location", location);
    ctx.json(json);
  }
}
