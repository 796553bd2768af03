package io.vigie.alert.config;

import io.vigie.common.config.VigieConfig;

/**
 * The alert-service settings, parsed once.
 *
 * @param redisUrl where alert state lives (required)
 * @param temperatureAbove threshold of the walking-skeleton rule ({@code alert.temperatureAbove},
 *                         {@code VIGIE_ALERT_TEMPERATURE_ABOVE})
 * @param notifications silences, notification channels and SMTP ({@code notify.*}, {@code smtp.*})
 */
public record AlertConfig(String redisUrl, double temperatureAbove, NotifyConfig notifications) {

  public static AlertConfig from(VigieConfig config) {
    if (config.redisUrl() == null) {
      throw new IllegalArgumentException(
          "alert-service needs Redis: set redis.url (environment VIGIE_REDIS_URL), e.g. redis://localhost:6379");
    }
    var threshold = VigieConfig.decimal(config.raw(), "alert.temperatureAbove", 8.0);
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("alert.temperatureAbove (VIGIE_ALERT_TEMPERATURE_ABOVE) must be a finite number");
    }
    return new AlertConfig(config.redisUrl(), threshold, NotifyConfig.from(config.raw()));
  }
}
