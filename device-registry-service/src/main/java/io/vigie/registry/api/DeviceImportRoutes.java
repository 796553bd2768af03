package io.vigie.registry.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.auth.Access;
import io.vigie.common.auth.AuthHandler;
import io.vigie.common.auth.VigiePrincipal;
import io.vigie.common.http.ApiException;
import io.vigie.common.http.Errors;
import io.vigie.registry.domain.Csv;
import io.vigie.registry.domain.DeviceSpec;
import io.vigie.registry.store.DeviceStore;
import io.vigie.registry.store.NodeStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/devices/import}: a JSON array of devices (as for {@code POST /api/v1/devices}, the
 * activation nested or flat) or CSV ({@code Content-Type: text/csv}, header
 * {@code devEui,name,nodeId,type,mode,devAddr,appSKey,nwkSKey}). Each row is created, updated or left unchanged
 * on its own, with the same access rule as one device; bad rows are reported without failing the others.
 */
public final class DeviceImportRoutes {
  static final List<String> CSV_COLUMNS = List.of("devEui", "name", "nodeId", "type", "mode", "devAddr", "appSKey", "nwkSKey");
  private static final Set<String> CSV_REQUIRED = Set.of("devEui", "name", "nodeId", "type", "mode");
  private static final Logger LOG = LoggerFactory.getLogger(DeviceImportRoutes.class);
  private static final int IN_FLIGHT = 16;

  private final DeviceCommands commands;
  private final int maxRows;

  public DeviceImportRoutes(NodeStore nodes, DeviceStore devices, Changes changes, int maxRows) {
    this.commands = new DeviceCommands(nodes, devices, changes);
    this.maxRows = maxRows;
  }

  public void mount(Router router, AuthHandler auth) {
    // about 300 bytes per JSON row, plus room
    router.post("/api/v1/devices/import").handler(Requests.bodies(Math.max(65_536L, maxRows * 400L)))
        .handler(auth).handler(this::importDevices);
  }

  /** One parsed row: its spec, or why it cannot be used. */
  private record Row(int number, String devEui, DeviceSpec spec, String error) {}

  private void importDevices(RoutingContext ctx) {
    var principal = AuthHandler.principal(ctx);
    // the caller's scopes are a path that contains a scope: this asks whether the role manages devices at all
    if (!Access.allows(principal, Access.Action.MANAGE_DEVICES, principal.tenant(), principal.scopes())) {
      throw NodeAccess.forbidden(principal);
    }
    var raw = records(ctx);
    if (raw.isEmpty()) throw ApiException.badRequest("no rows to import");
    if (raw.size() > maxRows) {
      throw new ApiException(413, "payload_too_large", "at most " + maxRows + " rows per import, got " + raw.size());
    }
    var rows = rows(raw);
    Bounded.map(ctx.vertx().getOrCreateContext(), rows, IN_FLIGHT, row -> apply(principal, row))
        .onSuccess(results -> Requests.ok(ctx, answer(results)))
        .onFailure(e -> ctx.fail(Requests.failure(e)));
  }

  /** The rows as JSON objects, from CSV or a JSON array (400 when neither can be read, 415 for another type). */
  private static List<Object> records(RoutingContext ctx) {
    var type = String.valueOf(ctx.request().getHeader("Content-Type")).toLowerCase(Locale.ROOT);
    var body = ctx.body();
    if (body == null || body.length() <= 0) throw ApiException.badRequest("a JSON array or CSV body is required");
    if (type.startsWith("text/csv")) return csv(body.asString("UTF-8"));
    if (!type.startsWith("application/json") && !type.equals("null")) {
      throw new ApiException(415, "unsupported_media_type", "send application/json (an array) or text/csv");
    }
    try {
      var array = body.asJsonArray();
      if (array != null) return array.getList();
    } catch (RuntimeException e) {
      // reported below
    }
    throw ApiException.badRequest("the body must be a JSON array of devices");
  }

  private static List<Object> csv(String text) {
    var records = Csv.parse(text);
    if (records.isEmpty()) throw ApiException.badRequest("the CSV has no header row");
    var header = records.get(0).stream().map(String::trim).toList();
    for (var column : header) {
      if (!CSV_COLUMNS.contains(column)) {
        throw ApiException.badRequest("unknown CSV column '" + column + "'; the columns are " + String.join(",", CSV_COLUMNS));
      }
    }
    if (header.stream().distinct().count() != header.size() || !header.containsAll(CSV_REQUIRED)) {
      throw ApiException.badRequest("the CSV header must be " + String.join(",", CSV_COLUMNS));
    }
    var out = new ArrayList<Object>(records.size() - 1);
    for (var record : records.subList(1, records.size())) {
      if (record.size() != header.size()) {
        out.add("expected " + header.size() + " columns, got " + record.size());
        continue;
      }
      var json = new JsonObject();
      for (int i = 0; i < header.size(); i++) {
        var cell = record.get(i).trim();
        if (!cell.isEmpty()) json.put(header.get(i), cell);
      }
      out.add(json);
    }
    return out;
  }

  private static List<Row> rows(List<Object> raw) {
    var rows = new ArrayList<Row>(raw.size());
    var firstRowOf = new HashMap<String, Integer>();
    for (int i = 0; i < raw.size(); i++) {
      var number = i + 1;
      var value = raw.get(i);
      if (value instanceof String problem) {
        rows.add(new Row(number, null, null, problem));
        continue;
      }
      if (!(value instanceof java.util.Map<?, ?> || value instanceof JsonObject)) {
        rows.add(new Row(number, null, null, "a row must be a JSON object"));
        continue;
      }
      @SuppressWarnings("unchecked")
      var json = value instanceof JsonObject j ? j : new JsonObject((java.util.Map<String, Object>) value);
      try {
        var spec = DeviceInput.spec(json, true);
        var first = firstRowOf.putIfAbsent(spec.devEui(), number);
        rows.add(first == null ? new Row(number, spec.devEui(), spec, null)
            : new Row(number, spec.devEui(), null, "devEui repeated (first at row " + first + ")"));
      } catch (RuntimeException e) {
        rows.add(new Row(number, null, null, Errors.toApiException(e).getMessage()));
      }
    }
    return rows;
  }

  private Future<JsonObject> apply(VigiePrincipal principal, Row row) {
    var result = new JsonObject().put("row", row.number());
    if (row.devEui() != null) result.put("devEui", row.devEui());
    if (row.spec() == null) return Future.succeededFuture(result.put("status", "error").put("error", row.error()));
    return commands.upsert(principal, row.spec())
        .map(done -> result.put("status", done.name().toLowerCase(Locale.ROOT)))
        .otherwise(e -> {
          var api = Errors.toApiException(Requests.failure(e));
          if (api.status() >= 500) LOG.warn("import row {} ({}) failed: {}", row.number(), row.devEui(), e.toString());
          return result.put("status", "error").put("error", api.getMessage());
        });
  }

  private static JsonObject answer(List<JsonObject> results) {
    var counts = new HashMap<String, Integer>();
    results.forEach(r -> counts.merge(r.getString("status"), 1, Integer::sum));
    return new JsonObject().put("results", new JsonArray(new ArrayList<>(results)))
        .put("created", counts.getOrDefault("created", 0)).put("updated", counts.getOrDefault("updated", 0))
        .put("unchanged", counts.getOrDefault("unchanged", 0)).put("errors", counts.getOrDefault("error", 0));
  }
}
