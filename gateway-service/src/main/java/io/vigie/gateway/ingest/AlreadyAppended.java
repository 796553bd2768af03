package io.vigie.gateway.ingest;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vigie.common.Addresses;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.Ack;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.SecurityEvent;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.message.UplinkStatus;
import io.vigie.gateway.adapter.SemtechUdp;
import io.vigie.gateway.store.IngestLog;
import io.vigie.registry.client.RegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of an uplink whose counter the ingest log had already appended. A network server delivers an uplink
 * again (HTTP retries, MQTT QoS 1): {@code 200 {"duplicate":true}}, fate {@code duplicate}. A packet forwarder never
 * sends a frame twice, and the copies heard by several gateways are merged by the de-duplication window before the
 * append: a raw Semtech frame whose counter was appended is a <em>replay</em>. Its fate is {@code replay}, it is
 * published on {@code uplink.security} (kind {@code replay}, the decoder's body) and refused with a 409
 * ({@link #isReplay}), counted as rejected {@code replay}; the datagram's PUSH_ACK does not change (it is per
 * datagram).
 */
record AlreadyAppended(IngestLog log, RegistryClient registry, EventBus bus) {
  private static final Logger LOG = LoggerFactory.getLogger(AlreadyAppended.class);

  /** The answer to an uplink the log answered with {@code ack}: as it is unless it is a duplicate. */
  Future<Ack> settle(Uplink uplink, Ack ack) {
    if (!ack.duplicate()) return Future.succeededFuture(ack);
    if (!SemtechUdp.SOURCE.equals(uplink.source())) {
      return recorded(UplinkFate.of(uplink, UplinkStatus.DUPLICATE, "counter " + uplink.fCnt()
          + " was already received: a re-delivery, not stored twice")).map(ack);
    }
    var detail = "replay: counter " + uplink.fCnt() + " (16 bits on the wire) was already received from DevAddr "
        + uplink.devAddr() + "; a packet forwarder never sends a frame twice";
    LOG.warn("raw frame {} of {} refused: {}", uplink.id(), uplink.devEui(), detail);
    var tenant = registry.device(uplink.devEui()).map(DeviceContext::tenant).otherwise((String) null);
    return Future.all(recorded(UplinkFate.of(uplink, UplinkStatus.REPLAY, detail)), tenant.onSuccess(t ->
            bus.publish(Addresses.UPLINK_SECURITY, new SecurityEvent("replay", uplink, t, uplink.fCnt(), detail).toJson())))
        .compose(v -> Future.failedFuture(new Replay(detail)));
  }

  /** True when {@code failure} is a replayed raw frame refused by {@link #settle}. */
  static boolean isReplay(Throwable failure) {
    return failure instanceof Replay;
  }

  private Future<Void> recorded(UplinkFate fate) {
    return log.record(fate).recover(e -> {
      LOG.warn("fate {} of {} not recorded: {}", fate.status().json(), fate.id(), e.getMessage());
      return Future.succeededFuture();
    });
  }

  private static final class Replay extends ApiException {
    Replay(String detail) {
      super(409, "conflict", detail);
    }
  }
}
