package io.vigie.decoder.config;

import io.vigie.common.config.StageTimeouts;
import io.vigie.common.config.VigieConfig;
import io.vigie.decoder.domain.AbpUplinks.ResetPolicy;
import io.vigie.lorawan.FrameCounter;

/**
 * The decoder's settings, parsed once from the {@code decoder} section (optional; set it in the
 * {@code VIGIE_CONFIG} file), the shared {@code bus.stageTimeout.enrich} and {@code redis.url}.
 *
 * @param enrichTimeoutMs how long a batch waits for the enrichment stage ({@link StageTimeouts#enrichMs()}); then
 *     the batch fails and the gateway sends it again (another instance takes it)
 * @param redisUrl where the replay guard keeps the frame counters (required)
 * @param fcntReset what a counter that restarts from 0 means: a replay, or a device reboot
 * @param maxFcntGap the largest forward jump believed when a frame carries only 16 bits of its counter
 * @param codecTimeoutMs the longest one JavaScript codec call may run
 * @param codecMaxAllocationMb the most one JavaScript codec call may allocate
 * @param codecThreads worker threads that run JavaScript codecs
 * @param replayWindow W of the replay guard: a counter never seen within W below the highest accepted is accepted
 *     once (RFC 4303 §3.4.3); 0 keeps the strict rule
 * @param guardCache how many devices' highest accepted counters the replay guard keeps from Redis's answers, so that
 *     a batch whose frames are all above them is checked without reading Redis; 0 reads every batch
 */
public record DecoderConfig(long enrichTimeoutMs, String redisUrl,
                            ResetPolicy fcntReset, int maxFcntGap, int codecTimeoutMs, int codecMaxAllocationMb,
                            int codecThreads, int replayWindow, int guardCache) {

  public static DecoderConfig from(VigieConfig config) {
    var raw = config.raw();
    if (config.redisUrl() == null) {
      throw new IllegalArgumentException("decoder-service needs Redis for the frame counters of its replay guard: "
          + "set redis.url (environment VIGIE_REDIS_URL), e.g. redis://localhost:6379");
    }
    var result = new DecoderConfig(StageTimeouts.from(config).enrichMs(),
        config.redisUrl(),
        ResetPolicy.fromWire(VigieConfig.stringAt(raw, "decoder.fcntReset", "reject").trim()),
        VigieConfig.integer(raw, "decoder.maxFcntGap", FrameCounter.MAX_FCNT_GAP),
        VigieConfig.integer(raw, "decoder.codecTimeoutMs", 100),
        VigieConfig.integer(raw, "decoder.codecMaxAllocationMb", 64),
        VigieConfig.integer(raw, "decoder.codecThreads", Math.max(2, Runtime.getRuntime().availableProcessors())),
        VigieConfig.integer(raw, "decoder.replayWindow", 32),
        VigieConfig.integer(raw, "decoder.guardCache", 100_000));
    if (result.replayWindow < 0 || result.replayWindow > 0x8000) {
      throw new IllegalArgumentException("decoder.replayWindow (VIGIE_DECODER_REPLAY_WINDOW) must be 0..32768, got "
          + result.replayWindow);
    }
    if (result.guardCache < 0) {
      throw new IllegalArgumentException("decoder.guardCache (VIGIE_DECODER_GUARD_CACHE) cannot be negative, got "
          + result.guardCache);
    }
    if (result.codecTimeoutMs < 1 || result.codecTimeoutMs > 10_000) {
      throw new IllegalArgumentException("decoder.codecTimeoutMs must be 1..10000, got " + result.codecTimeoutMs);
    }
    if (result.codecMaxAllocationMb < 1 || result.codecThreads < 1) {
      throw new IllegalArgumentException("decoder.codecMaxAllocationMb and decoder.codecThreads must be at least 1");
    }
    if (result.maxFcntGap < 1 || result.maxFcntGap > 0x8000) {
      throw new IllegalArgumentException("decoder.maxFcntGap must be 1..32768, got " + result.maxFcntGap);
    }
    return result;
  }
}
