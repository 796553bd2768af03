package io.vigie.simulator;

import java.util.Locale;

/**
 * The counts of a {@link LoadGenerator} run.
 *
 * @param ackMeaning what an acknowledgement means on this path ("stored end to end", "broker PUBACK", "PUSH_ACK"),
 *     hence what {@code latency} measures (delivered uplinks only)
 * @param unanswered uplinks still waiting for their answer when the drain timeout passed
 * @param silent readings skipped by silent probes
 * @param missed readings the fleet could not send on schedule (too few probes for the rate, or the in-flight bound)
 */
public record LoadReport(String adapter, String ackMeaning, long sent, long acked, long duplicates, long rejected,
                         long failed, long unanswered, long silent, long missed, double seconds,
                         Latencies.Percentiles latency) {
  public String format() {
    return String.format(Locale.ROOT, "%s: %d sent in %.1f s (%.1f/s): %d acked, %d duplicate, %d rejected, %d failed,"
            + " %d unanswered; %d silent readings, %d missed; %s (%s, %d samples)", adapter, sent, seconds,
        seconds > 0 ? sent / seconds : 0, acked, duplicates, rejected, failed, unanswered, silent, missed,
        latency.format(), ackMeaning, latency.count());
  }
}
