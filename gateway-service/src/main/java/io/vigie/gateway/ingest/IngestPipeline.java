package io.vigie.gateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vigie.common.http.Errors;
import io.vigie.common.message.Ack;
import io.vigie.common.message.Uplink;
import io.vigie.gateway.config.GatewayConfig;
import io.vigie.gateway.store.IngestLog;
import java.util.function.Function;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way in for every adapter: de-duplication of copies of a frame, the bounded append to the ingest log
 * ({@link UplinkForwarder}, one per adapter: unknown devices refused at the door), and the accounting of the outcome.
 * Adapters turn the outcome into their own acknowledgement (HTTP status, MQTT PUBACK, UDP PUSH_ACK).
 *
 * <p>The outcome is delivered on the context of the caller (HTTP request, MQTT or UDP verticle), whichever
 * adapter's copy was sent.
 */
public final class IngestPipeline {
  private final Vertx vertx;
  private final GatewayConfig config;
  private final IngestMetrics metrics;
  private final Deduplicator deduplicator;
  private final Function<Uplink, Future<Ack>> append;
  private final Map<String, UplinkForwarder> forwarders = new ConcurrentHashMap<>();

  /** @param append checks and appends one uplink ({@link UplinkForwarder#appendingTo}) */
  public IngestPipeline(Vertx vertx, GatewayConfig config, IngestMetrics metrics, Function<Uplink, Future<Ack>> append) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.append = append;
    this.deduplicator = new Deduplicator(vertx);
  }

  /**
   * Hands an uplink over and counts its outcome (accepted, or rejected with a reason); a copy merged into
   * another arrival is counted as deduplicated and shares that arrival's outcome.
   *
   * @param windowMs how long a first arrival waits for copies: {@link GatewayConfig#dedupWindowMs()} for sources
   *     that deliver copies (MQTT, UDP), 0 for webhooks (network servers de-duplicate before posting; a copy
   *     arriving while the first is in flight still joins it)
   */
  public Future<Ack> submit(String adapter, Uplink uplink, long windowMs) {
    var caller = vertx.getOrCreateContext();
    var forwarder = forwarder(adapter);
    var submission = deduplicator.submit(key(uplink), uplink, windowMs, forwarder::tryAcquire, forwarder::saturated,
        forwarder::send);
    var outcome = submission.outcome();
    if (submission.copy()) {
      metrics.deduplicated(adapter);
    } else {
      outcome = outcome.andThen(result -> {
        if (result.succeeded()) metrics.accepted(adapter, result.result().duplicate());
        else metrics.rejected(adapter, reason(result.cause()));
      });
    }
    var onCaller = Promise.<Ack>promise();
    outcome.onComplete(result -> caller.runOnContext(v -> onCaller.handle(result)));
    return onCaller.future();
  }

  /** The window for sources that deliver copies. */
  public long dedupWindowMs() {
    return config.dedupWindowMs();
  }

  /** The rejection reason of a failed outcome, as counted. */
  public static String reason(Throwable failure) {
    if (UplinkForwarder.isSaturation(failure)) return "saturated";
    if (failure instanceof IngestLog.LogFull) return "log_full";
    if (AlreadyAppended.isReplay(failure)) return "replay";
    var status = Errors.toApiException(failure).status();
    if (status == 404) return "unknown_device";
    if (status == 400) return "malformed";
    return status >= 500 ? "unavailable" : "rejected";
  }

  /** True for a failure that retrying the same uplink will not cure (malformed, unknown device). */
  public static boolean isPermanent(Throwable failure) {
    var status = Errors.toApiException(failure).status();
    return status >= 400 && status < 500 && status != 408 && status != 429;
  }

  private UplinkForwarder forwarder(String adapter) {
    return forwarders.computeIfAbsent(adapter,
        name -> new UplinkForwarder(name, config.maxInFlight(), append, metrics));
  }

  /** Copies of a frame: same device, same counter, same bytes (the whole PHYPayload when known). */
  static String key(Uplink uplink) {
    var bytes = uplink.phyPayloadHex() != null ? uplink.phyPayloadHex() : uplink.fPort() + ":" + uplink.payloadHex();
    return uplink.devEui() + "/" + uplink.fCnt() + "/" + bytes;
  }
}
