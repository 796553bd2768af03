package io.vigie.alert.config;

import io.vigie.common.config.VigieConfig;

/**
 * The alert-service settings, parsed once.
 *
 * @param redisUrl where alert rules and state live (required)
 * @param temperatureAbove the threshold of a new tenant's default temperature rule ({@code alert.temperatureAbove},
 *                         {@code VIGIE_ALERT_TEMPERATURE_ABOVE}); it changes nothing for tenants already seeded
 * @param elasticsearchUrl where the alert history is indexed; null: no history (the route answers 503)
 * @param historyIndex the history's index ({@code alert.historyIndex}, {@code VIGIE_ALERT_HISTORY_INDEX})
 * @param tickMs how often no-data and escalation timers are looked at ({@code alert.tickMs}, {@code VIGIE_ALERT_TICK_MS});
 *               0: never by itself (tests drive the ticks)
 * @param notifications silences, notification channels and SMTP ({@code notify.*}, {@code smtp.*})
 */
public record AlertConfig(String redisUrl, double temperatureAbove, String elasticsearchUrl, String historyIndex,
                          long tickMs, long requestTimeoutMs, NotifyConfig notifications) {

  public static AlertConfig from(VigieConfig config) {
    if (config.redisUrl() == null) {
      throw new IllegalArgumentException(
          "alert-service needs Redis: set redis.url (environment VIGIE_REDIS_URL), e.g. redis://localhost:6379");
    }
    var raw = config.raw();
    var threshold = VigieConfig.decimal(raw, "alert.temperatureAbove", 8.0);
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("alert.temperatureAbove (VIGIE_ALERT_TEMPERATURE_ABOVE) must be a finite number");
    }
    var tickMs = VigieConfig.integer(raw, "alert.tickMs", 5000);
    if (tickMs < 0) throw new IllegalArgumentException("alert.tickMs (VIGIE_ALERT_TICK_MS) must not be negative");
    var index = VigieConfig.stringAt(raw, "alert.historyIndex", "vigie-alert-history");
    return new AlertConfig(config.redisUrl(), threshold, config.elasticsearchUrl(), index, tickMs, config.requestTimeoutMs(),
        NotifyConfig.from(raw));
  }
}
