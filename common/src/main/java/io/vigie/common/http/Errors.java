package io.vigie.common.http;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one JSON error shape of the API, and the mapping of failures onto it. */
public final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  /** Installs the 404 fallback and the failure handler on a root router. */
  public static void install(Router router) {
    router.route().last().handler(ctx -> send(ctx, 404, "not_found", "no route for " + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(Errors::handleFailure);
  }

  public static void handleFailure(RoutingContext ctx) {
    var failure = ctx.failure();
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (failure == null) {
      var status = ctx.statusCode();
      send(ctx, status, codeFor(status), defaultMessage(status));
      return;
    }
    var api = toApiException(failure);
    if (api.status() == 500) {
      LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(), failure.toString());
    } else if (api.status() >= 500) {
      // unavailability is expected under saturation or during an outage: readiness and metrics show it
      LOG.debug("{} {} unavailable: {}", ctx.request().method(), ctx.request().path(), api.getMessage());
    }
    if (api.status() == 503) ctx.response().putHeader("Retry-After", "5");
    send(ctx, api.status(), api.code(), api.getMessage());
  }

  /** Maps any failure (ours, Vert.x Web's, the event bus's) onto an {@link ApiException}. */
  public static ApiException toApiException(Throwable failure) {
    if (failure instanceof ApiException api) return api;
    if (failure instanceof HttpException http) {
      var status = http.getStatusCode();
      return new ApiException(status, codeFor(status), http.getPayload() != null ? http.getPayload() : defaultMessage(status));
    }
    if (failure instanceof DecodeException || failure instanceof IllegalArgumentException) {
      return ApiException.badRequest(failure.getMessage());
    }
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        var code = reply.failureCode();
        if (code >= 400 && code < 600) return new ApiException(code, codeFor(code), reply.getMessage());
      }
      return ApiException.unavailable(reply.failureType() == ReplyFailure.NO_HANDLERS
          ? "a service it needs is not running" : "a service it needs did not answer in time");
    }
    if (failure instanceof ConnectionPoolTooBusyException) {
      // a client pool (Redis, HTTP) with its whole wait queue taken: an overload that passes, not a fault
      return ApiException.unavailable("overloaded: too many requests wait for a connection, retry later");
    }
    return new ApiException(500, "internal_error", "internal error");
  }

  public static void send(RoutingContext ctx, int status, String code, String message) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }

  static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      case 429 -> "too_many_requests";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal_error" : "error";
    };
  }

  private static String defaultMessage(int status) {
    return switch (status) {
      case 400 -> "malformed request";
      case 401 -> "missing or invalid credentials";
      case 403 -> "not allowed";
      case 404 -> "not found";
      case 413 -> "request body too large";
      default -> "request failed with status " + status;
    };
  }
}
