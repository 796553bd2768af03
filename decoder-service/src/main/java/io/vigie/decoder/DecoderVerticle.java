package io.vigie.decoder;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.bus.StageRequests;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;
import io.vigie.common.message.DecodedUplink;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.Measurement;
import io.vigie.common.message.MessageIds;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.common.bus.BusCodecs;
import io.vigie.common.message.Batch;
import io.vigie.common.message.DecodedBatch;
import io.vigie.common.message.FateBatch;
import io.vigie.decoder.AbpFrames.Checked;
import io.vigie.decoder.config.DecoderConfig;
import io.vigie.decoder.domain.AbpUplinks;
import io.vigie.decoder.domain.ActivationMismatch;
import io.vigie.decoder.domain.UplinkDecoder;
import io.vigie.decoder.store.FrameCounters;
import io.vigie.registry.client.RegistryClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes batches on {@code uplink.received} ({@code {"uplinks":[Uplink…]}}, one partition of the ingest log, in
 * log order). For each uplink, in order: device context (cached by the {@link RegistryClient}); for an ABP device
 * whose payload arrives encrypted, session keys, MIC, decryption and the replay guard's check of the whole batch in
 * one Redis round trip ({@link AbpFrames}); codec, canonical measurements. Then ONE request on {@code uplink.decoded}
 * with the uplinks to store and their device context (the enrichment asks the registry nothing), whose fates,
 * merged with the decoder's own ({@code unknown-device}, {@code malformed}, {@code mic-failed}, {@code replay}),
 * answer the gateway: {@code {"results":[UplinkFate…]}}, one per uplink, in request order, once the replay guard
 * recorded the counters of the stored uplinks (one more round trip). A registry, Redis or downstream failure fails
 * the whole batch (503) and records no counter: every stage is idempotent, the gateway sends it again.
 */
final class DecoderVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DecoderVerticle.class);

  private final DecoderConfig config;
  private final DecoderMetrics metrics;
  private final FrameCounters counters;
  private final Runnable onStop;
  private final UplinkDecoder decoder;
  private final WorkerExecutor codecWorkers;
  private final RegistryClient registry;
  private AbpFrames abp;
  private StageRequests enrichment;

  /**
   * @param decoder decodes with the device's codec
   * @param codecWorkers where scripts run (JavaScript codecs never run on the event loop)
   */
  DecoderVerticle(DecoderConfig config, DecoderMetrics metrics, FrameCounters counters, RegistryClient registry,
                  UplinkDecoder decoder, WorkerExecutor codecWorkers, Runnable onStop) {
    this.config = config;
    this.registry = registry;
    this.decoder = decoder;
    this.codecWorkers = codecWorkers;
    this.metrics = metrics;
    this.counters = counters;
    this.onStop = onStop;
  }

  @Override
  public Future<?> start() {
    enrichment = new StageRequests(vertx, Addresses.UPLINK_DECODED, config.enrichTimeoutMs());
    var bus = vertx.eventBus();
    BusCodecs.register(bus);
    abp = new AbpFrames(bus, registry, counters, new AbpUplinks(config.fcntReset(), config.maxFcntGap()), metrics);
    var uplinks = bus.<Object>consumer(Addresses.UPLINK_RECEIVED, this::onBatch);
    return Future.all(uplinks.completion(), registry.listen());
  }

  @Override
  public Future<?> stop() {
    onStop.run();
    return enrichment.close();
  }

  private void onBatch(Message<Object> message) {
    JsonArray items = message.body() instanceof JsonObject body ? body.getJsonArray(Batch.UPLINKS) : null;
    if (items == null) {
      metrics.refused("malformed");
      message.fail(400, "uplink.received needs a batch {\"uplinks\":[Uplink…]}");
      return;
    }
    var fates = new UplinkFate[items.size()];
    var uplinks = new Uplink[items.size()];
    for (int i = 0; i < items.size(); i++) {
      try {
        uplinks[i] = Uplink.fromJson(items.getJsonObject(i));
      } catch (RuntimeException e) {
        metrics.refused("malformed");
        fates[i] = malformed(items.getValue(i), e);
      }
    }
    process(message, uplinks, fates);
  }

  /** Processes a batch; {@code fates} holds those already decided (malformed items), in batch order. */
  private void process(Message<Object> message, Uplink[] uplinks, UplinkFate[] fates) {
    devices(uplinks, fates)
        .compose(devices -> checked(uplinks, devices, fates).compose(checked -> decodeAll(uplinks, devices, checked, fates)
            .compose(decoded -> store(decoded, fates))
            .compose(v -> abp.commit(checked, fates))))
        .onSuccess(v -> message.reply(new FateBatch(Arrays.asList(fates))))
        .onFailure(failure -> BusReplies.fail(message, failure));
  }

  /** Every device's context (null for an unknown one, whose fate is then set); fails when the registry is down. */
  private Future<DeviceContext[]> devices(Uplink[] uplinks, UplinkFate[] fates) {
    var devices = new DeviceContext[uplinks.length];
    var lookups = new ArrayList<Future<Void>>();
    for (int i = 0; i < uplinks.length; i++) {
      if (uplinks[i] == null) continue;
      int at = i;
      lookups.add(registry.device(uplinks[i].devEui()).transform(found -> {
        if (found.succeeded()) {
          devices[at] = found.result();
          return Future.succeededFuture();
        }
        var status = Errors.toApiException(found.cause()).status();
        metrics.refused(status == 404 ? "unknown_device" : "registry_unavailable");
        if (status != 404) return Future.failedFuture(found.cause());
        LOG.debug("uplink {}: unknown device {}", uplinks[at].id(), uplinks[at].devEui());
        fates[at] = UplinkFate.of(uplinks[at], UplinkStatus.UNKNOWN_DEVICE, "unknown device " + uplinks[at].devEui());
        return Future.succeededFuture();
      }));
    }
    return Future.all(lookups).map(devices);
  }

  /** The security of the batch's ABP uplinks; the others pass as they are. Sets the fate of those refused. */
  private Future<Checked[]> checked(Uplink[] uplinks, DeviceContext[] devices, UplinkFate[] fates) {
    var checked = new Checked[uplinks.length];
    var abpAt = new ArrayList<Integer>();
    for (int i = 0; i < uplinks.length; i++) {
      if (fates[i] != null) continue;
      if (AbpFrames.applies(uplinks[i], devices[i])) abpAt.add(i); else checked[i] = Checked.passed(uplinks[i]);
    }
    if (abpAt.isEmpty()) return Future.succeededFuture(checked);
    return abp.checkAll(abpAt.stream().map(i -> uplinks[i]).toList(), abpAt.stream().map(i -> devices[i]).toList())
        .map(results -> {
          for (int k = 0; k < results.size(); k++) {
            int at = abpAt.get(k);
            checked[at] = results.get(k);
            if (results.get(k).refused() != null) fates[at] = results.get(k).refused();
          }
          return checked;
        });
  }

  /** The measurements of the uplinks still without a fate, in batch order (scripts on the codec workers). */
  private Future<List<Decoded>> decodeAll(Uplink[] uplinks, DeviceContext[] devices, Checked[] checked, UplinkFate[] fates) {
    var decoding = new ArrayList<Future<Decoded>>();
    for (int i = 0; i < uplinks.length; i++) {
      if (fates[i] != null) continue;
      int at = i;
      var device = devices[i];
      decoding.add(decode(checked[i], device)
          .map(measurement -> new Decoded(at, new DecodedUplink(mismatched(uplinks[at], device, measurement), device))));
    }
    return Future.all(decoding).map(all -> decoding.stream().map(Future::result).toList());
  }

  /** One decoded uplink and its place in the batch. */
  private record Decoded(int at, DecodedUplink uplink) {}

  /** ONE request on {@code uplink.decoded}; its fates go to their places in the batch. */
  private Future<Void> store(List<Decoded> decoded, UplinkFate[] fates) {
    if (decoded.isEmpty()) return Future.succeededFuture();
    var body = new DecodedBatch(decoded.stream().map(Decoded::uplink).toList());
    return enrichment.<Object>request(body)
        .recover(failure -> Future.failedFuture(unreachable(failure, "the enrichment (" + Addresses.UPLINK_DECODED + ")")))
        .compose(reply -> {
          List<UplinkFate> results;
          try {
            results = FateBatch.of(reply.body()).results();
          } catch (RuntimeException e) {
            return Future.failedFuture(ApiException.unavailable("the enrichment answered no fates: " + e.getMessage()));
          }
          if (results.size() != decoded.size()) {
            return Future.failedFuture(ApiException.unavailable("the enrichment answered " + results.size()
                + " fates for " + decoded.size() + " uplinks"));
          }
          for (int k = 0; k < results.size(); k++) fates[decoded.get(k).at()] = results.get(k);
          return Future.succeededFuture();
        });
  }

  /** The fate of an item that is not an Uplink, with what can be read of it. */
  private static UplinkFate malformed(Object item, RuntimeException e) {
    var json = item instanceof JsonObject object ? object : new JsonObject();
    var devEui = json.getValue("devEui") instanceof String s ? s : null;
    var fCnt = json.getValue("fCnt") instanceof Number n ? n.longValue() : 0L;
    return new UplinkFate(devEui == null ? null : MessageIds.uplinkId(devEui, fCnt), devEui, fCnt, null,
        json.getValue("source") instanceof String source ? source : null, UplinkStatus.MALFORMED,
        "not an Uplink: " + e.getMessage(), List.of());
  }

  /** A bus failure that is not the recipient's answer (no consumer, timeout) says who did not answer. */
  private static Throwable unreachable(Throwable failure, String who) {
    if (failure instanceof ReplyException reply && reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return ApiException.unavailable(who + " did not answer (" + reply.failureType() + ")");
    }
    return failure;
  }

  private Future<Measurement> decode(Checked checked, DeviceContext device) {
    var uplink = checked.uplink();
    if (checked.error() != null) return Future.succeededFuture(logged(UplinkDecoder.undecoded(uplink, checked.error()), device));
    if (!UplinkDecoder.blocking(device)) return Future.succeededFuture(logged(decoder.decode(uplink, device), device));
    return codecWorkers.executeBlocking(() -> decoder.decode(uplink, device), false).map(m -> logged(m, device));
  }

  /** The measurement with a warning when the source contradicts the device's activation (counted, logged). */
  private Measurement mismatched(Uplink uplink, DeviceContext device, Measurement measurement) {
    return ActivationMismatch.of(uplink, device).map(mismatch -> {
      metrics.activationMismatch(mismatch.tag);
      var warning = mismatch.warning(uplink);
      LOG.info("uplink {} of {}: {}", uplink.id(), uplink.devEui(), warning);
      return measurement.warned(List.of(warning));
    }).orElse(measurement);
  }

  private Measurement logged(Measurement measurement, DeviceContext device) {
    metrics.decoded(device.codecKind(), !measurement.errors().isEmpty());
    if (!measurement.errors().isEmpty()) {
      LOG.info("uplink {} of {} forwarded undecoded or partly decoded: {}", measurement.id(), measurement.devEui(),
          measurement.errors());
    }
    return measurement;
  }
}
