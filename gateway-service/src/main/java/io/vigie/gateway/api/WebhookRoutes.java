package io.vigie.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;
import io.vigie.common.message.Ack;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.adapter.Incoming;
import io.vigie.gateway.adapter.InvalidUplinkException;
import io.vigie.gateway.adapter.JsonBodies;
import io.vigie.gateway.adapter.WebhookProvider;
import io.vigie.gateway.ingest.IngestMetrics;
import io.vigie.gateway.ingest.IngestPipeline;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP integrations of the network servers ({@code POST /uplinks/chirpstack}, {@code /uplinks/ttn},
 * {@code /uplinks/thingpark}): one route per {@link WebhookProvider}, the same handling for all. The secret is
 * checked before the body is read, the body is bounded, a JSON body is read by the provider; an uplink is
 * answered once appended to the ingest log (202, or 200 for a duplicate), another event 204.
 */
public final class WebhookRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
  /** Marks a failure the pipeline already counted, so that the failure handler does not count it again. */
  private static final String COUNTED = "counted";
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private final IngestPipeline pipeline;
  private final IngestMetrics metrics;

  public WebhookRoutes(IngestPipeline pipeline, IngestMetrics metrics) {
    this.pipeline = pipeline;
    this.metrics = metrics;
  }

  /**
   * Adds one route per provider: its integration's secret first, so no body is read without it (a route of its own: Vert.x
   * Web wants the {@code BodyHandler} first on a route), then the bounded body, then the provider.
   */
  public void mount(Router router, java.util.function.Function<String, IngestAuth> auth, int bodyLimit,
                    List<WebhookProvider> providers) {
    for (var provider : providers) {
      router.post(provider.path()).handler(auth.apply(provider.adapter()));
      router.post(provider.path())
          .handler(BodyHandler.create(false).setBodyLimit(bodyLimit))
          .handler(ctx -> receive(ctx, provider));
      router.route(provider.path()).failureHandler(ctx -> countRejection(ctx, provider.adapter()));
    }
  }

  private void receive(RoutingContext ctx, WebhookProvider provider) {
    Incoming incoming;
    try {
      var ignored = provider.ignoredByQuery(name -> ctx.request().getParam(name));
      if (ignored != null) {
        incoming = new Incoming.Ignored(ignored);
      } else {
        refuseOtherEncodings(ctx, provider);
        incoming = provider.read(JsonBodies.object(ctx.body().buffer(), "a " + provider.adapter() + " uplink", provider.shape()));
      }
    } catch (InvalidUplinkException e) {
      reject(ctx, e.reason(), ApiException.badRequest(e.getMessage()));
      return;
    } catch (ApiException e) {
      reject(ctx, "unsupported_media_type", e);
      return;
    } catch (RuntimeException e) {
      // a provider bug must not become a 500 loop at the network server: the body is what it could not read
      LOG.warn("{} body could not be read: {}", provider.adapter(), e.toString());
      reject(ctx, InvalidUplinkException.MALFORMED, ApiException.badRequest("the body could not be read as a "
          + provider.adapter() + " message"));
      return;
    }
    if (incoming instanceof Incoming.Ignored ignored) {
      metrics.ignored(provider.adapter(), ignored.event());
      ctx.response().setStatusCode(204).end();
      return;
    }
    var uplink = ((Incoming.Up) incoming).uplink();
    pipeline.submit(provider.adapter(), uplink, 0)
        .onSuccess(ack -> answer(ctx, uplink, ack))
        .onFailure(failure -> reject(ctx, COUNTED, Errors.toApiException(failure)));
  }

  private static void refuseOtherEncodings(RoutingContext ctx, WebhookProvider provider) {
    var contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null) return;
    var type = contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/octet-stream") || type.contains("protobuf") || type.contains("xml")) {
      throw new ApiException(415, "unsupported_media_type", provider.encodingHint());
    }
  }

  private static void answer(RoutingContext ctx, Uplink uplink, Ack ack) {
    LOG.debug("uplink {} of {} acknowledged (duplicate: {})", ack.id(), uplink.devEui(), ack.duplicate());
    if (ctx.response().closed()) return;
    var body = ack.duplicate() || !plain(ack.id()) ? answerJson(ack).encode() : "{\"id\":\"" + ack.id() + "\"}";
    ctx.response().setStatusCode(ack.duplicate() ? 200 : 202).putHeader(CONTENT_TYPE, JSON).end(body);
  }

  private static JsonObject answerJson(Ack ack) {
    return ack.duplicate() ? new JsonObject().put("duplicate", true).put("id", ack.id()) : new JsonObject().put("id", ack.id());
  }

  /** An uplink id as usual (hex digits and a dash): nothing to escape in JSON. */
  private static boolean plain(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == '-')) return false;
    }
    return true;
  }

  private static void reject(RoutingContext ctx, String reason, ApiException failure) {
    ctx.put(IngestAuth.REJECTION, reason);
    ctx.fail(failure);
  }

  /** Counts every refusal not counted yet, then lets the launcher's failure handler write the JSON error. */
  private void countRejection(RoutingContext ctx, String adapter) {
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
    if (!COUNTED.equals(reason)) metrics.rejected(adapter, reason);
    ctx.next();
  }
}
