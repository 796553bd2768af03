package io.vigie.registry.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.registry.domain.Device;
import io.vigie.registry.domain.DeviceChange;
import io.vigie.registry.domain.DeviceType;
import io.vigie.registry.domain.SecretBox;
import io.vigie.lorawan.SessionKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link DeviceStore} on Redis: a hash per device and per device type, index sets, Lua for atomic writes. */
public final class RedisDeviceStore implements DeviceStore {
  private static final String[] DEVICE_FIELDS = {"devEui", "tenant", "name", "nodeId", "type", "activationMode", "devAddr"};
  private static final String[] TYPE_FIELDS = {"id", "tenant", "name", "codec", "measurements"};

  private final Redis redis;
  private final SecretBox box;

  public RedisDeviceStore(Redis redis, SecretBox box) {
    this.redis = redis;
    this.box = box;
  }

  @Override
  public Future<Outcome> create(Device device, SessionKeys keys, List<String> expectedNodePath) {
    var eui = device.devEui();
    var args = new ArrayList<>(List.of(device.tenant(), eui, device.nodeId(), device.type(),
        device.devAddr() == null ? "" : device.devAddr(), Scripts.joined(expectedNodePath)));
    args.addAll(Scripts.fields("devEui", eui, "tenant", device.tenant(), "name", device.name(),
        "nodeId", device.nodeId(), "type", device.type(), "activationMode", device.activationMode(),
        "devAddr", device.devAddr(),
        "appSKey", keys == null ? null : box.seal(keys.appSKeyHex(), context(eui, "appSKey")),
        "nwkSKey", keys == null ? null : box.seal(keys.nwkSKeyHex(), context(eui, "nwkSKey")),
        "createdAt", Instant.now().toString()));
    return Scripts.run(redis, Scripts.CREATE_DEVICE, args).map(Scripts::outcome);
  }

  @Override
  public Future<Device> get(String devEui) {
    return redis.send(hmget(RedisKeys.device(devEui), DEVICE_FIELDS)).map(r -> device(Scripts.strings(r)));
  }

  @Override
  public Future<SessionKeys> sessionKeys(String devEui) {
    return redis.send(Request.cmd(Command.HMGET).arg(RedisKeys.device(devEui)).arg("devAddr").arg("appSKey").arg("nwkSKey"))
        .map(response -> {
          var stored = Scripts.strings(response);
          if (stored.get(0) == null || stored.get(1) == null || stored.get(2) == null) return null;
          return SessionKeys.fromHex(stored.get(0), box.open(stored.get(1), context(devEui, "appSKey")),
              box.open(stored.get(2), context(devEui, "nwkSKey")));
        });
  }

  @Override
  public Future<List<Device>> byDevAddr(String devAddr) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.devAddr(devAddr))).compose(this::devices)
        // an ABP device that changed its DevAddr is no longer listed under the old one; be strict anyway
        .map(list -> list.stream().filter(d -> devAddr.equals(d.devAddr())).toList());
  }

  @Override
  public Future<List<Device>> devicesOf(String nodeId, boolean recursive) {
    Future<Response> euis = recursive
        ? Scripts.run(redis, Scripts.SUBTREE_DEVICES, List.of(nodeId))
        : redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.nodeDevices(nodeId)));
    return euis.compose(this::devices);
  }

  private Future<List<Device>> devices(Response euis) {
    var list = Scripts.strings(euis);
    if (list.isEmpty()) return Future.succeededFuture(List.of());
    return redis.batch(list.stream().map(eui -> hmget(RedisKeys.device(eui), DEVICE_FIELDS)).toList())
        .map(responses -> responses.stream().map(r -> device(Scripts.strings(r))).filter(d -> d != null)
            .sorted(Comparator.comparing(Device::devEui)).toList());
  }

  @Override
  public Future<Outcome> update(String devEui, List<String> expectedNodePath, DeviceChange change,
                                List<String> expectedNewNodePath) {
    var activation = change.activation();
    var keys = activation == null ? null : activation.keys();
    var removed = activation != null && !activation.abp() ? "devAddr appSKey nwkSKey" : "";
    var args = new ArrayList<>(List.of(devEui, Scripts.joined(expectedNodePath), Scripts.joined(expectedNewNodePath),
        removed));
    args.addAll(Scripts.fields("name", change.name(), "nodeId", change.nodeId(), "type", change.type(),
        "activationMode", activation == null ? null : activation.mode(),
        "devAddr", activation == null ? null : activation.devAddr(),
        "appSKey", keys == null ? null : box.seal(keys.appSKeyHex(), context(devEui, "appSKey")),
        "nwkSKey", keys == null ? null : box.seal(keys.nwkSKeyHex(), context(devEui, "nwkSKey")),
        "updatedAt", Instant.now().toString()));
    return Scripts.run(redis, Scripts.UPDATE_DEVICE, args).map(Scripts::outcome);
  }

  @Override
  public Future<Outcome> delete(String devEui, List<String> expectedNodePath) {
    return Scripts.run(redis, Scripts.DELETE_DEVICE, List.of(devEui, Scripts.joined(expectedNodePath)))
        .map(Scripts::outcome);
  }

  @Override
  public Future<Boolean> putType(DeviceType type) {
    var args = new ArrayList<>(List.of(type.id()));
    args.addAll(Scripts.fields("id", type.id(), "tenant", type.tenant(), "name", type.name(),
        "codec", type.codec().encode(), "measurements", type.measurements() == null ? null : type.measurements().encode(),
        "updatedAt", Instant.now().toString()));
    return Scripts.eval(redis, Scripts.PUT_DEVICE_TYPE,
            List.of(RedisKeys.deviceType(type.tenant(), type.id()), RedisKeys.tenantDeviceTypes(type.tenant())), args)
        .map(existed -> existed.toInteger() == 0);
  }

  @Override
  public Future<DeviceType> type(String tenant, String id) {
    return redis.send(hmget(RedisKeys.deviceType(tenant, id), TYPE_FIELDS)).map(r -> type(Scripts.strings(r)));
  }

  @Override
  public Future<List<DeviceType>> types(String tenant) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.tenantDeviceTypes(tenant)))
        .compose(response -> {
          var ids = Scripts.strings(response);
          if (ids.isEmpty()) return Future.succeededFuture(List.<DeviceType>of());
          return redis.batch(ids.stream().map(id -> hmget(RedisKeys.deviceType(tenant, id), TYPE_FIELDS)).toList())
              .map(responses -> responses.stream().map(r -> type(Scripts.strings(r))).filter(t -> t != null)
                  .sorted(Comparator.comparing(DeviceType::id)).toList());
        });
  }

  /** The authenticated data of a sealed key: the device and the field, so it opens nowhere else. */
  private static String context(String devEui, String field) {
    return "vigie:device:" + devEui + ":" + field;
  }

  private static Request hmget(String key, String[] fields) {
    var request = Request.cmd(Command.HMGET).arg(key);
    for (var field : fields) request.arg(field);
    return request;
  }

  private static Device device(List<String> v) {
    if (v.get(0) == null) return null;
    return new Device(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6));
  }

  private static DeviceType type(List<String> v) {
    if (v.get(0) == null) return null;
    return new DeviceType(v.get(0), v.get(1), v.get(2), new JsonObject(v.get(3)),
        v.get(4) == null ? null : new JsonObject(v.get(4)));
  }
}
