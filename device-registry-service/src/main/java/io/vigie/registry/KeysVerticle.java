package io.vigie.registry;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.bus.BusReplies;
import io.vigie.common.message.MessageIds;
import io.vigie.registry.domain.Ids;
import io.vigie.registry.store.DeviceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the decoder asks to decrypt ABP frames, on the bus only (these addresses are never bridged to clients):
 * a device's session keys ({@link Addresses#REGISTRY_DEVICE_KEYS}) and the devices behind a DevAddr
 * ({@link Addresses#REGISTRY_DEVADDR_LOOKUP}). Keys leave the registry only here, and are never logged.
 */
final class KeysVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(KeysVerticle.class);

  private final DeviceStore devices;

  KeysVerticle(DeviceStore devices) {
    this.devices = devices;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.REGISTRY_DEVICE_KEYS, this::deviceKeys).completion(),
        bus.<JsonObject>consumer(Addresses.REGISTRY_DEVADDR_LOOKUP, this::devAddrLookup).completion());
  }

  /** {"devEui"} → {"devEui","devAddr","appSKey","nwkSKey"}; 400 malformed, 404 unknown, 409 not ABP. */
  private void deviceKeys(Message<JsonObject> message) {
    String devEui;
    try {
      devEui = MessageIds.normalizeDevEui(message.body() == null ? null : message.body().getString("devEui"));
    } catch (IllegalArgumentException | ClassCastException e) {
      message.fail(400, e.getMessage());
      return;
    }
    devices.get(devEui)
        .compose(device -> {
          if (device == null) return Future.failedFuture(new Failure(404, "unknown device " + devEui));
          if (!device.abp()) {
            return Future.failedFuture(new Failure(409, "device " + devEui + " is not ABP: the network server decrypts"));
          }
          return devices.sessionKeys(devEui).map(keys -> {
            if (keys == null) throw new Failure(409, "device " + devEui + " has no session keys");
            return new JsonObject().put("devEui", devEui).put("devAddr", device.devAddr())
                .put("appSKey", keys.appSKeyHex()).put("nwkSKey", keys.nwkSKeyHex());
          });
        })
        .onSuccess(reply -> {
          LOG.debug("session keys of {} given over the bus", devEui);
          message.reply(reply);
        })
        .onFailure(e -> {
          if (e instanceof Failure f) {
            message.fail(f.code, f.getMessage());
          } else {
            BusReplies.fail(message, e);
          }
        });
  }

  /** {"devAddr"} → {"devices":[{"devEui","tenant"}]} (empty when none); 400 malformed. */
  private void devAddrLookup(Message<JsonObject> message) {
    String devAddr;
    try {
      devAddr = Ids.devAddr(message.body() == null ? null : message.body().getString("devAddr"));
    } catch (IllegalArgumentException | ClassCastException e) {
      message.fail(400, "devAddr must be 8 hex digits");
      return;
    }
    devices.byDevAddr(devAddr)
        .onSuccess(list -> message.reply(new JsonObject().put("devices", new JsonArray(list.stream()
            .map(d -> new JsonObject().put("devEui", d.devEui()).put("tenant", d.tenant())).toList()))))
        .onFailure(e -> BusReplies.fail(message, e));
  }

  /** A failure answered with its code. */
  private static final class Failure extends RuntimeException {
    private final int code;

    Failure(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
