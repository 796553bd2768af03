package io.vigie.simulator.capacity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where an uplink's time goes inside the platform, read from its {@code /metrics}: the histograms of
 * {@code vigie_gateway_ingest_wait_seconds} (appended → taken by a consumer), {@code
 * vigie_gateway_ingest_batch_duration_seconds} (a batch sent → stored, evaluated, removed) and {@code
 * vigie_enrichment_bulk_duration_seconds} (a bulk request to Elasticsearch). Two readings, one at each end of a step's
 * window, give each stage's mean and the bucket bound its 99th percentile falls under.
 */
record StageLatencies(Map<String, Histogram> histograms) {
  static final List<String> STAGES = List.of("vigie_gateway_ingest_wait_seconds",
      "vigie_gateway_ingest_batch_duration_seconds", "vigie_enrichment_bulk_duration_seconds");

  /** Cumulative counts by bucket bound (seconds), with the sum and count, summed over every label set. */
  record Histogram(TreeMap<Double, Double> buckets, double sum, double count) {
    Histogram minus(Histogram before) {
      var buckets = new TreeMap<Double, Double>();
      this.buckets.forEach((le, n) -> buckets.put(le, n - before.buckets.getOrDefault(le, 0.0)));
      return new Histogram(buckets, sum - before.sum, count - before.count);
    }

    double meanMs() {
      return count == 0 ? 0 : sum / count * 1000;
    }

    /** The smallest bucket bound holding 99 % of the values, ms; infinite when the last bucket does not. */
    double p99BoundMs() {
      for (var bucket : buckets.entrySet()) {
        if (bucket.getValue() >= 0.99 * count) return bucket.getKey() * 1000;
      }
      return Double.POSITIVE_INFINITY;
    }
  }

  static StageLatencies parse(String metrics) {
    var histograms = new TreeMap<String, Histogram>();
    for (var stage : STAGES) {
      var buckets = new TreeMap<Double, Double>();
      double sum = 0;
      double count = 0;
      for (var line : metrics.lines().filter(l -> l.startsWith(stage)).toList()) {
        var value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        if (line.startsWith(stage + "_bucket")) {
          var le = line.substring(line.indexOf("le=\"") + 4);
          le = le.substring(0, le.indexOf('"'));
          if (!le.equals("+Inf")) buckets.merge(Double.parseDouble(le), value, Double::sum);
        } else if (line.startsWith(stage + "_sum")) {
          sum += value;
        } else if (line.startsWith(stage + "_count")) {
          count += value;
        }
      }
      histograms.put(stage, new Histogram(buckets, sum, count));
    }
    return new StageLatencies(histograms);
  }

  static StageLatencies empty() {
    return parse("");
  }

  StageLatencies minus(StageLatencies before) {
    var out = new TreeMap<String, Histogram>();
    histograms.forEach((stage, h) -> out.put(stage, h.minus(before.histograms.get(stage))));
    return new StageLatencies(out);
  }

  /** {@code wait 12 / ≤ 50 · batch 80 / ≤ 250 · bulk 30 / ≤ 100}: mean ms / the bound of p99, per stage. */
  String summary() {
    var parts = new ArrayList<String>();
    var names = List.of("log wait", "batch", "bulk");
    for (int i = 0; i < STAGES.size(); i++) {
      var h = histograms.get(STAGES.get(i));
      if (h == null || h.count() == 0) continue;
      var bound = h.p99BoundMs();
      parts.add(String.format(Locale.ROOT, "%s %.0f / %s", names.get(i), h.meanMs(),
          Double.isInfinite(bound) ? "> 30000" : String.format(Locale.ROOT, "≤ %.0f", bound)));
    }
    return String.join(" · ", parts);
  }
}
