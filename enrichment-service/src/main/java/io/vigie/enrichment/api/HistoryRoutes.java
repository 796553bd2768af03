package io.vigie.enrichment.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.TokenVerifier;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.DeviceContext;
import io.vigie.common.message.MessageIds;
import io.vigie.enrichment.domain.Enrichment;
import io.vigie.enrichment.domain.HistoryRequest;
import io.vigie.enrichment.domain.TimeRange;
import io.vigie.enrichment.store.HistoryStore;
import io.vigie.enrichment.store.HistoryStore.Reader;
import io.vigie.enrichment.store.HistoryStore.Series;
import io.vigie.registry.client.RegistryClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * The history API of {@code API.md}, every route behind a token:
 * <ul>
 *   <li>{@code GET /api/v1/history/devices/{devEui}?name=…[&channel=…]&from=…&to=…[&limit=…&cursor=…]} → raw
 *       points;</li>
 *   <li>the same with {@code &interval=…[&agg=avg,min,max]} → buckets;</li>
 *   <li>{@code GET /api/v1/history/devices/{devEui}.csv?…} → CSV ({@link CsvExport});</li>
 *   <li>{@code GET /api/v1/history/nodes/{id}/latest[?from=…]} → the latest uplink of each device below.</li>
 * </ul>
 * Parameters are checked first (400 with the reason), then access (404 for anything out of scope), then
 * Elasticsearch is asked.
 */
public final class HistoryRoutes {
  private final HistoryStore history;
  private final HistoryAccess access;
  private final Clock clock;

  private HistoryRoutes(HistoryStore history, HistoryAccess access, Clock clock) {
    this.history = history;
    this.access = access;
    this.clock = clock;
  }

  public static Router router(Vertx vertx, HistoryStore history, TokenVerifier verifier, RegistryClient registry, Clock clock) {
    var routes = new HistoryRoutes(history, new HistoryAccess(registry), clock);
    var router = Router.router(vertx);
    router.route("/api/v1/history/*").handler(new AuthHandler(verifier));
    router.get("/api/v1/history/devices/:devEui").handler(routes::device);
    router.get("/api/v1/history/nodes/:id/latest").handler(routes::latest);
    return router;
  }

  static Reader reader(VigiePrincipal principal) {
    return new Reader(principal.tenant(), principal.scopes());
  }

  private void device(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var raw = ctx.pathParam("devEui");
    boolean csv = raw.endsWith(".csv");
    String devEui;
    HistoryRequest request;
    try {
      devEui = MessageIds.normalizeDevEui(csv ? raw.substring(0, raw.length() - 4) : raw);
      request = HistoryRequest.parse(ctx.queryParams()::get, csv, clock.instant());
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.badRequest(e.getMessage()));
      return;
    }
    var reader = reader(principal);
    access.device(principal, devEui)
        .compose(device -> series(reader, device, request).compose(series -> {
          if (csv) return CsvExport.stream(ctx, history, reader, device, request, series, this);
          return request.interval() == null ? points(reader, device, request, series) : buckets(reader, device, request, series);
        }))
        .onSuccess(body -> {
          if (body != null) ctx.json(body);
        })
        .onFailure(ctx::fail);
  }

  /**
   * The values to read: {@code channel} when given; else, when the device's values of that name have channels in
   * the range (Cayenne LPP), the lowest one and the values without channel (stored before channels existed), so that
   * a device with two temperature sensors answers one series, as {@code values.<name>} holds it; else every value.
   */
  private Future<Series> series(Reader reader, DeviceContext device, HistoryRequest request) {
    if (request.name() == null) return Future.succeededFuture(Series.any(null));
    if (request.channel() != null) return Future.succeededFuture(new Series(request.name(), request.channel(), false));
    return history.channels(reader, device.devEui(), request.name(), request.range())
        .map(channels -> channels.isEmpty() ? Series.any(request.name()) : new Series(request.name(), channels.first(), true));
  }

  private Future<JsonObject> points(Reader reader, DeviceContext device, HistoryRequest request, Series series) {
    return history.points(reader, device.devEui(), series, request.range(), request.cursor(), request.limit())
        .compose(page -> page.points().isEmpty() && request.cursor() == null
            ? knownName(reader, device, request.name()).map(page)
            : Future.succeededFuture(page))
        .map(page -> {
          var points = new JsonArray();
          page.points().forEach(p -> {
            var point = new JsonObject().put("t", p.t().toString()).put("value", p.value());
            if (p.channel() != null) point.put("channel", p.channel());
            points.add(point);
          });
          var body = new JsonObject().put("points", points);
          if (page.next() != null) body.put("next", page.next().encode());
          return body;
        });
  }

  private Future<JsonObject> buckets(Reader reader, DeviceContext device, HistoryRequest request, Series series) {
    return history.buckets(reader, device.devEui(), series, request.range(), request.interval())
        .compose(buckets -> buckets.stream().allMatch(b -> b.count() == 0)
            ? knownName(reader, device, request.name()).map(buckets)
            : Future.succeededFuture(buckets))
        .map(buckets -> {
          var json = new JsonArray();
          for (var bucket : buckets) {
            var b = new JsonObject().put("t", Instant.ofEpochMilli(bucket.start()).toString());
            if (request.aggs().contains("avg")) b.put("avg", bucket.avg());
            if (request.aggs().contains("min")) b.put("min", bucket.min());
            if (request.aggs().contains("max")) b.put("max", bucket.max());
            json.add(b.put("count", bucket.count()));
          }
          return new JsonObject().put("buckets", json);
        });
  }

  /**
   * Nothing found: fine for a measurement the device has (or its type declares) or for a device with no history yet;
   * a 400 naming what exists for a name the device never reported (most likely a typo).
   */
  Future<Void> knownName(Reader reader, DeviceContext device, String name) {
    if (name == null || Enrichment.declaredNames(device).contains(name)) return Future.succeededFuture();
    return history.names(reader, device.devEui()).compose(names -> {
      if (names.isEmpty() || names.contains(name)) return Future.succeededFuture();
      var known = new TreeSet<>(names);
      known.addAll(Enrichment.declaredNames(device));
      return Future.failedFuture(ApiException.badRequest("device " + device.devEui() + " has no measurement '" + name
          + "'; it has " + String.join(", ", known)));
    });
  }

  private void latest(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    var nodeId = ctx.pathParam("id");
    Instant since;
    try {
      var from = ctx.queryParams().get("from");
      since = from == null || from.isBlank() ? null : TimeRange.time("from", from);
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.badRequest(e.getMessage()));
      return;
    }
    access.node(principal, nodeId)
        .compose(path -> history.latest(reader(principal), nodeId, since))
        .onSuccess(latest -> {
          var devices = new JsonArray();
          latest.devices().forEach(d -> devices.add(latestDevice(d)));
          var body = new JsonObject().put("nodeId", nodeId).put("devices", devices);
          if (latest.truncated()) body.put("truncated", true);
          ctx.json(body);
        })
        .onFailure(ctx::fail);
  }

  private static JsonObject latestDevice(JsonObject document) {
    var json = new JsonObject().put("devEui", document.getString("devEui"))
        .put("t", document.getString("receivedAt")).put("fCnt", document.getLong("fCnt"));
    for (var field : List.of("device", "asset", "path", "measurements", "bestRx")) {
      if (document.getValue(field) != null) json.put(field, document.getValue(field));
    }
    return json;
  }
}
