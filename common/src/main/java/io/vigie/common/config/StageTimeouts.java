package io.vigie.common.config;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * How long each stage of the ingestion pipeline waits for the next one's reply to a batch (docs/scale-out.md): the
 * gateway's partition consumer for a decoder ({@code decode}: the whole chain below it), a decoder for an enrichment
 * ({@code enrich}: the Elasticsearch bulk and the alert stage), an enrichment for an alert instance ({@code alert}).
 * Nested, so the innermost stage that notices a dead instance answers its caller before the caller's own wait runs
 * out: a failure costs the timeout of the stage that called, not the sum of all timeouts; the gateway then sends the
 * batch again and another instance takes it. An instance that dies costs less: when it leaves the cluster, the
 * requests still waiting are sent again at once ({@link io.vigie.common.bus.StageRequests}); the timeouts are for an
 * instance that is alive but does not answer. Configuration {@code bus.stageTimeout.*}
 * (environment {@code VIGIE_STAGE_TIMEOUT_DECODE|ENRICH|ALERT}), durations like {@code 3s}, {@code 2500ms} or a number
 * of milliseconds. A stage not configured gets its sized default, but never more than {@code bus.requestTimeout}
 * (so a setting that shortens every bus wait shortens these too).
 */
public record StageTimeouts(long decodeMs, long enrichMs, long alertMs) {
  public static final long DEFAULT_DECODE_MS = 14_000;
  public static final long DEFAULT_ENRICH_MS = 12_000;
  public static final long DEFAULT_ALERT_MS = 3000;

  public StageTimeouts {
    if (decodeMs < 1 || enrichMs < 1 || alertMs < 1) {
      throw new IllegalArgumentException("bus.stageTimeout.* must be positive durations, got decode=" + decodeMs
          + "ms enrich=" + enrichMs + "ms alert=" + alertMs + "ms");
    }
  }

  public static StageTimeouts from(VigieConfig config) {
    var raw = config.raw();
    var cap = config.requestTimeoutMs();
    return new StageTimeouts(stage(raw, "decode", DEFAULT_DECODE_MS, cap), stage(raw, "enrich", DEFAULT_ENRICH_MS, cap),
        stage(raw, "alert", DEFAULT_ALERT_MS, cap));
  }

  private static long stage(JsonObject raw, String name, long sized, long cap) {
    var path = "bus.stageTimeout." + name;
    var value = VigieConfig.valueAt(raw, path);
    if (value == null || value.toString().isBlank()) return Math.min(sized, cap);
    return millis(path + " (VIGIE_STAGE_TIMEOUT_" + name.toUpperCase(Locale.ROOT) + ")", value);
  }

  /** {@code 3s}, {@code 2500ms}, {@code 1m}, or a number of milliseconds. */
  public static long millis(String name, Object value) {
    if (value instanceof Number n) return n.longValue();
    var text = value.toString().trim().toLowerCase(Locale.ROOT);
    try {
      if (text.endsWith("ms")) return Long.parseLong(text.substring(0, text.length() - 2).trim());
      if (text.endsWith("s")) return Math.round(Double.parseDouble(text.substring(0, text.length() - 1).trim()) * 1000);
      if (text.endsWith("m")) return Math.round(Double.parseDouble(text.substring(0, text.length() - 1).trim()) * 60_000);
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a duration like 3s, 2500ms or 1m, got '" + value + "'");
    }
  }

  @Override
  public String toString() {
    return "StageTimeouts[decode=" + decodeMs + "ms, enrich=" + enrichMs + "ms, alert=" + alertMs + "ms]";
  }
}
