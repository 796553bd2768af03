package io.vigie.gateway.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;
import io.vigie.common.message.Ack;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.adapter.ChirpStackV4;
import io.vigie.gateway.adapter.InvalidUplinkException;
import java.util.Locale;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /uplinks/chirpstack?event=<event>}: the ChirpStack v4 HTTP integration (JSON
 * encoding). {@code up} events are forwarded and answered once the pipeline acknowledged them;
 * the other events are answered 204 and ignored.
 */
public final class ChirpStackRoutes {
  public static final String PATH = "/uplinks/chirpstack";

  private static final Logger LOG = LoggerFactory.getLogger(ChirpStackRoutes.class);
  private static final String ADAPTER = ChirpStackV4.SOURCE;

  private final ChirpStackV4 adapter;
  private final UplinkForwarder forwarder;
  private final IngestMetrics metrics;

  public ChirpStackRoutes(ChirpStackV4 adapter, UplinkForwarder forwarder, IngestMetrics metrics) {
    this.adapter = adapter;
    this.forwarder = forwarder;
    this.metrics = metrics;
  }

  /**
   * Adds the routes to {@code router}: the secret is checked first, so no body is read without it
   * (a route of its own: Vert.x Web wants the {@code BodyHandler} first on a route), then the
   * bounded body is read and handled.
   */
  public void mount(Router router, IngestAuth auth, int bodyLimit) {
    router.post(PATH).handler(auth);
    router.post(PATH)
        .handler(BodyHandler.create(false).setBodyLimit(bodyLimit))
        .handler(this::receive);
    router.route(PATH).failureHandler(this::countRejection);
  }

  private void receive(RoutingContext ctx) {
    var event = ctx.request().getParam("event");
    if (event == null || event.isBlank()) {
      reject(ctx, "bad_event", ApiException.badRequest("the query parameter 'event' is missing (ChirpStack posts to ?event=up, ?event=join, …)"));
      return;
    }
    if (!ChirpStackV4.EVENTS.contains(event)) {
      reject(ctx, "bad_event", ApiException.badRequest("unknown ChirpStack event '" + abbreviate(event) + "', expected one of "
          + new TreeSet<>(ChirpStackV4.EVENTS)));
      return;
    }
    if (!"up".equals(event)) {
      metrics.ignored(ADAPTER, event);
      ctx.response().setStatusCode(204).end();
      return;
    }
    var contentType = ctx.request().getHeader("Content-Type");
    if (contentType != null && isProtobuf(contentType)) {
      reject(ctx, "unsupported_media_type", new ApiException(415, "unsupported_media_type",
          "this endpoint reads the JSON encoding: set the ChirpStack HTTP integration's payload encoding to JSON"));
      return;
    }
    Uplink uplink;
    try {
      uplink = adapter.uplink(json(ctx.body().buffer()));
    } catch (InvalidUplinkException e) {
      reject(ctx, "malformed", ApiException.badRequest(e.getMessage()));
      return;
    }
    forwarder.forward(uplink)
        .onSuccess(ack -> answer(ctx, uplink, ack))
        .onFailure(failure -> reject(ctx, reason(failure), Errors.toApiException(failure)));
  }

  private void answer(RoutingContext ctx, Uplink uplink, Ack ack) {
    metrics.accepted(ADAPTER, ack.duplicate());
    LOG.debug("uplink {} of {} acknowledged (duplicate: {})", ack.id(), uplink.devEui(), ack.duplicate());
    if (ctx.response().closed()) return;
    var body = ack.duplicate() ? new JsonObject().put("duplicate", true).put("id", ack.id()) : new JsonObject().put("id", ack.id());
    ctx.response().setStatusCode(ack.duplicate() ? 200 : 202).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) throw new InvalidUplinkException("the body is empty: expected a ChirpStack up event (JSON)");
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new InvalidUplinkException("the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject object)) throw new InvalidUplinkException("the body must be a JSON object");
    return object;
  }

  private static void reject(RoutingContext ctx, String reason, ApiException failure) {
    ctx.put(IngestAuth.REJECTION, reason);
    ctx.fail(failure);
  }

  private static String reason(Throwable failure) {
    if (UplinkForwarder.isSaturation(failure)) return "saturated";
    var status = Errors.toApiException(failure).status();
    if (status == 404) return "unknown_device";
    if (status == 400) return "malformed";
    return status >= 500 ? "unavailable" : "rejected";
  }

  /** Counts every refusal, then lets the launcher's failure handler write the JSON error. */
  private void countRejection(RoutingContext ctx) {
    String reason = ctx.get(IngestAuth.REJECTION);
    if (reason == null) {
      var status = ctx.failure() != null ? Errors.toApiException(ctx.failure()).status() : ctx.statusCode();
      reason = switch (status) {
        case 400 -> "malformed";
        case 401 -> "unauthorized";
        case 413 -> "too_large";
        default -> status >= 500 ? "unavailable" : "rejected";
      };
    }
    metrics.rejected(ADAPTER, reason);
    ctx.next();
  }

  private static boolean isProtobuf(String contentType) {
    var type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("application/octet-stream") || type.contains("protobuf");
  }

  private static String abbreviate(String s) {
    return s.length() <= 20 ? s : s.substring(0, 20) + "…";
  }
}
