package io.vigie.gateway.udp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this gateway instance knows of the Semtech packet forwarders talking to it: when each was last heard,
 * when it last polled for downlinks (PULL_DATA), how many packets it pushed, and its last {@code stat} report.
 * In memory, per instance (in a cluster each instance knows the gateways whose datagrams it receives).
 */
public final class GatewayStatusStore {
  /** The {@code stat} fields of the protocol that are kept; anything else a gateway adds is left out. */
  private static final List<String> STAT_FIELDS = List.of("time", "lati", "long", "alti", "rxnb", "rxok", "rxfw",
      "ackr", "dwnb", "txnb", "temp");
  private static final int MAX_GATEWAYS = 10_000;

  private final Clock clock;
  private final Map<String, State> gateways = new ConcurrentHashMap<>();

  private static final class State {
    volatile Instant lastSeenAt;

    State(Instant firstSeenAt) {
      this.lastSeenAt = firstSeenAt;
    }

    volatile Instant lastPullAt;
    volatile Instant statAt;
    volatile JsonObject stat;
    volatile long rxPackets;
  }

  public GatewayStatusStore(Clock clock) {
    this.clock = clock;
  }

  void pushed(String gatewayEui, int rxPackets) {
    var state = state(gatewayEui);
    if (state == null) return;
    state.lastSeenAt = clock.instant();
    synchronized (state) {
      state.rxPackets += rxPackets;
    }
  }

  void pulled(String gatewayEui) {
    var state = state(gatewayEui);
    if (state == null) return;
    state.lastSeenAt = clock.instant();
    state.lastPullAt = state.lastSeenAt;
  }

  void stat(String gatewayEui, JsonObject stat) {
    var state = state(gatewayEui);
    if (state == null) return;
    var kept = new JsonObject();
    for (var field : STAT_FIELDS) {
      var value = stat.getValue(field);
      if (value instanceof Number || value instanceof String s && s.length() <= 64) kept.put(field, value);
    }
    state.stat = kept;
    state.statAt = clock.instant();
  }

  /** {@code {"gateways":[{"gatewayId","lastSeenAt","lastPullAt"?,"rxPackets","status"?,"statusAt"?}]}}, by id. */
  public JsonObject toJson() {
    var list = new JsonArray();
    gateways.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder())).forEach(entry -> {
      var state = entry.getValue();
      var json = new JsonObject().put("gatewayId", entry.getKey())
          .put("lastSeenAt", state.lastSeenAt.toString()).put("rxPackets", state.rxPackets);
      if (state.lastPullAt != null) json.put("lastPullAt", state.lastPullAt.toString());
      if (state.stat != null) json.put("status", state.stat.copy()).put("statusAt", state.statAt.toString());
      list.add(json);
    });
    return new JsonObject().put("gateways", list);
  }

  private State state(String gatewayEui) {
    var state = gateways.get(gatewayEui);
    if (state != null) return state;
    if (gateways.size() >= MAX_GATEWAYS) return null;
    return gateways.computeIfAbsent(gatewayEui, eui -> new State(clock.instant()));
  }
}
