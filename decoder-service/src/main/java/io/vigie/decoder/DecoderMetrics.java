package io.vigie.decoder;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigie.common.metrics.Counters;

/**
 * The decoder's counters (Prometheus names {@code vigie_decoder_…_total}):
 * <ul>
 *   <li>{@code vigie.decoder.uplinks{codec, result}} — result {@code decoded} or {@code error}
 *       (forwarded with errors recorded);</li>
 *   <li>{@code vigie.decoder.uplinks.refused{reason}} — {@code malformed}, {@code unknown_device},
 *       {@code registry_unavailable}, {@code malformed_frame}, {@code mic_failure}, {@code replay},
 *       {@code no_keys} (a raw frame and no usable session keys), {@code counters_unavailable}: not forwarded (a fate
 *       other than stored, or, for the last two, the whole batch failed);</li>
 *   <li>{@code vigie.decoder.abp.uplinks{result}} — ABP uplinks decrypted by Vigie that passed the replay guard:
 *       {@code accepted}, {@code late} (within the replay window), {@code redelivery}, {@code reset};</li>
 *   <li>{@code vigie.decoder.security.events{kind}} — {@code mic-failure}, {@code replay}, {@code fcnt-reset}
 *       published on {@code uplink.security};</li>
 *   <li>{@code vigie.decoder.activation.mismatches{kind}} — uplinks whose source contradicts the device's activation:
 *       {@code abp_clear} (ABP device, payload already decrypted by the source), {@code network_encrypted}
 *       (network-decrypted device, payload encrypted); stored with a warning.</li>
 * </ul>
 * The registry lookups are counted by the registry-client ({@code vigie.registry.cache.*{service="decoder"}}).
 */
final class DecoderMetrics {
  /** Registered once each, not per uplink. */
  private final Counters counters;

  DecoderMetrics(MeterRegistry meters) {
    this.counters = new Counters(meters);
  }

  void decoded(String codec, boolean withErrors) {
    counters.increment("vigie.decoder.uplinks", "Uplinks decoded and forwarded", "codec", codec, "result",
        withErrors ? "error" : "decoded");
  }

  void refused(String reason) {
    counters.increment("vigie.decoder.uplinks.refused", "Uplinks not forwarded, by reason", "reason", reason);
  }

  void abp(String result) {
    counters.increment("vigie.decoder.abp.uplinks", "ABP uplinks decrypted by Vigie past the replay guard", "result", result);
  }

  void security(String kind) {
    counters.increment("vigie.decoder.security.events", "Security events published on uplink.security", "kind", kind);
  }

  void activationMismatch(String kind) {
    counters.increment("vigie.decoder.activation.mismatches",
        "Uplinks whose source contradicts the device's activation mode (stored with a warning)", "kind", kind);
  }
}
