package io.vigie.decoder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

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
  private final MeterRegistry meters;

  DecoderMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void decoded(String codec, boolean withErrors) {
    Counter.builder("vigie.decoder.uplinks").description("Uplinks decoded and forwarded")
        .tag("codec", codec).tag("result", withErrors ? "error" : "decoded").register(meters).increment();
  }

  void refused(String reason) {
    Counter.builder("vigie.decoder.uplinks.refused").description("Uplinks not forwarded, by reason")
        .tag("reason", reason).register(meters).increment();
  }

  void abp(String result) {
    Counter.builder("vigie.decoder.abp.uplinks").description("ABP uplinks decrypted by Vigie past the replay guard")
        .tag("result", result).register(meters).increment();
  }

  void security(String kind) {
    Counter.builder("vigie.decoder.security.events").description("Security events published on uplink.security")
        .tag("kind", kind).register(meters).increment();
  }

  void activationMismatch(String kind) {
    Counter.builder("vigie.decoder.activation.mismatches")
        .description("Uplinks whose source contradicts the device's activation mode (stored with a warning)")
        .tag("kind", kind).register(meters).increment();
  }
}
