package io.vigie.enrichment.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vigie.common.message.DeviceContext;
import io.vigie.enrichment.domain.HistoryRequest;
import io.vigie.enrichment.domain.PageCursor;
import io.vigie.enrichment.store.HistoryStore;
import io.vigie.enrichment.store.HistoryStore.Reader;
import java.math.BigDecimal;

/**
 * {@code GET /api/v1/history/devices/{devEui}.csv}: raw points as {@code t,name,unit,value,channel} rows (channel empty when the value has none), every
 * measurement when {@code name} is absent. Streamed with chunked encoding: one page of {@value #PAGE} documents is
 * asked of Elasticsearch ({@code search_after}), written, and the next asked once it is on the wire, so neither the
 * service nor Elasticsearch holds the whole export. Errors before the first byte are the usual JSON errors; an error
 * after it resets the connection, so that a cut export is never mistaken for a complete one.
 */
final class CsvExport {
  static final int PAGE = 2000;
  static final String HEADER = "t,name,unit,value,channel\r\n";

  private final RoutingContext ctx;
  private final HistoryStore history;
  private final Reader reader;
  private final DeviceContext device;
  private final HistoryRequest request;
  private final HistoryStore.Series series;

  private CsvExport(RoutingContext ctx, HistoryStore history, Reader reader, DeviceContext device, HistoryRequest request,
                    HistoryStore.Series series) {
    this.ctx = ctx;
    this.history = history;
    this.reader = reader;
    this.device = device;
    this.request = request;
    this.series = series;
  }

  /** Streams the export; completes (with no body to send) once it has ended. */
  static Future<JsonObject> stream(RoutingContext ctx, HistoryStore history, Reader reader, DeviceContext device,
                                   HistoryRequest request, HistoryStore.Series series, HistoryRoutes routes) {
    var export = new CsvExport(ctx, history, reader, device, request, series);
    return export.page(null)
        .compose(first -> first.points().isEmpty() ? routes.knownName(reader, device, request.name()).map(first) : Future.succeededFuture(first))
        .compose(first -> {
          var response = ctx.response().setChunked(true)
              .putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader("Content-Disposition", "attachment; filename=\"" + export.fileName() + "\"");
          return response.write(HEADER + rows(first)).compose(v -> export.rest(response, first.next())).compose(v -> response.end());
        })
        .map(v -> null);
  }

  private Future<HistoryStore.Page> page(PageCursor after) {
    return history.points(reader, device.devEui(), series, request.range(), after, PAGE);
  }

  private Future<Void> rest(HttpServerResponse response, PageCursor next) {
    if (next == null || response.closed()) return Future.succeededFuture();
    return page(next).compose(page -> response.write(rows(page)).compose(v -> rest(response, page.next())));
  }

  private String fileName() {
    var name = request.name() == null ? "" : "-" + request.name().replaceAll("[^A-Za-z0-9_.-]", "_");
    return device.devEui() + name + ".csv";
  }

  static String rows(HistoryStore.Page page) {
    var csv = new StringBuilder(page.points().size() * 48);
    for (var point : page.points()) {
      csv.append(point.t()).append(',').append(field(point.name())).append(',').append(field(point.unit())).append(',')
          .append(number(point.value())).append(',').append(point.channel() == null ? "" : point.channel().toString())
          .append("\r\n");
    }
    return csv.toString();
  }

  /** RFC 4180 quoting; a leading = + - @ is defused so that a spreadsheet does not run it as a formula. */
  static String field(String value) {
    if (value == null) return "";
    var text = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }

  static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
