package io.vigie.decoder;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.PathElement;
import io.vigie.common.message.RxInfo;
import io.vigie.common.message.Uplink;
import io.vigie.lorawan.DataFrames;
import io.vigie.lorawan.LorawanCrypto;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One ABP device with random DevEUI and DevAddr and known session keys, the uplinks its sources give, and a
 * registry stand-in that knows it (and every other DevEUI but {@link #STRANGER}) as an ABP Cayenne LPP probe.
 */
final class AbpFixture {
  static final HexFormat HEX = HexFormat.of();
  static final Instant AT = Instant.parse("2026-11-29T09:34:15.775Z");
  static final String APP_S_KEY = "2b7e151628aed2a6abf7158809cf4f3c";
  static final String NWK_S_KEY = "000102030405060708090a0b0c0d0e0f";
  static final String LPP_23_5 = "016700eb";
  static final String LPP_24_0 = "016700f0";
  /** A DevEUI the registry stand-in does not know. */
  static final String STRANGER = "0303030303030303";

  final String devEui = String.format("%016x", ThreadLocalRandom.current().nextLong());
  final int devAddr = ThreadLocalRandom.current().nextInt();
  /** While true, the registry answers 409 to session-key requests. */
  final AtomicBoolean keysRefused = new AtomicBoolean();
  final AtomicInteger keyRequests = new AtomicInteger();

  /** Answers {@code registry.device.context} and {@code registry.device.keys}. */
  Future<?> serveRegistry(Vertx vertx) {
    var contexts = vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVICE_CONTEXT, message -> {
      var eui = message.body().getString("devEui");
      if (STRANGER.equals(eui)) {
        message.fail(404, "unknown device " + eui);
        return;
      }
      message.reply(new DeviceContext(eui, "acme", "Fridge 12 probe", "probe", "fridge-12", "ABP",
          new JsonObject().put("id", "probe").put("name", "Probe").put("codec", new JsonObject().put("kind", "cayenne-lpp")),
          List.of(new PathElement("acme", "tenant", "ACME"))).toJson());
    });
    var keys = vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_DEVICE_KEYS, message -> {
      keyRequests.incrementAndGet();
      if (keysRefused.get()) {
        message.fail(409, "device is not ABP");
        return;
      }
      message.reply(new JsonObject().put("devEui", message.body().getString("devEui"))
          .put("devAddr", String.format("%08x", devAddr)).put("appSKey", APP_S_KEY).put("nwkSKey", NWK_S_KEY));
    });
    return Future.all(contexts.completion(), keys.completion());
  }

  /** As the Semtech UDP path gives it: the whole frame and its 16-bit counter. */
  Uplink udp(long fCnt32, String plainHex) {
    return udp(DataFrames.uplink(devAddr, fCnt32, 1, HEX.parseHex(plainHex), HEX.parseHex(APP_S_KEY),
        HEX.parseHex(NWK_S_KEY)), fCnt32 & 0xFFFF);
  }

  Uplink udp(byte[] frame, long fCnt) {
    return new Uplink(devEui, fCnt, 1, HEX.formatHex(frame, 9, frame.length - 4), null, String.format("%08x", devAddr),
        AT, "semtech-udp", List.of(new RxInfo("b827ebfffe000001", -97.0, 7.5)), HEX.formatHex(frame));
  }

  /** A frame of this device signed with another NwkSKey: its MIC fails. */
  byte[] forged(long fCnt32, String plainHex) {
    return DataFrames.uplink(devAddr, fCnt32, 1, HEX.parseHex(plainHex), HEX.parseHex(APP_S_KEY),
        HEX.parseHex("ffeeddccbbaa99887766554433221100"));
  }

  /** As a network server that did not decrypt gives it: 32-bit counter, encrypted FRMPayload, {@code encrypted} true. */
  Uplink networkServer(long fCnt32, int fPort, String plainHex) {
    var encrypted = LorawanCrypto.cipher(HEX.parseHex(APP_S_KEY), true, devAddr, fCnt32, HEX.parseHex(plainHex));
    return new Uplink(devEui, fCnt32, fPort, HEX.formatHex(encrypted), true, String.format("%08x", devAddr), AT,
        "chirpstack-v4", List.of(new RxInfo("0016c001f153a14c", -36.0, 10.5)));
  }

  /** Waits for a future from the test thread; a failure is rethrown as itself. */
  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    }
  }
}
