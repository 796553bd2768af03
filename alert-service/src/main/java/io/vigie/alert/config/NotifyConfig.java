package io.vigie.alert.config;

import io.vertx.core.json.JsonObject;
import io.vigie.alert.notify.WebhookAddresses;
import io.vigie.common.config.VigieConfig;

/**
 * How notifications are delivered ({@code notify.*}).
 *
 * @param maxAttempts attempts per notification and channel, the first included ({@code VIGIE_NOTIFY_MAX_ATTEMPTS})
 * @param backoffMs wait before the second attempt, doubled before each next one ({@code VIGIE_NOTIFY_BACKOFF_MS})
 * @param timeoutMs one webhook or SMTP attempt's limit ({@code VIGIE_NOTIFY_TIMEOUT_MS})
 * @param concurrency notifications of one channel in flight at once in an instance
 * @param queue notifications of one channel waiting in an instance; more are given up (recorded as such)
 * @param claimIdleMs a transition taken but not acknowledged for this long (a dead instance's) is taken over
 * @param deliveriesKept attempts listed per channel
 * @param webhookAllowedNetworks CIDRs webhooks may reach although private or loopback
 *     ({@code VIGIE_NOTIFY_WEBHOOK_ALLOWED_NETWORKS}, comma-separated; none by default: see {@code WebhookAddresses})
 */
public record NotifyConfig(SmtpConfig smtp, int maxAttempts, long backoffMs, long timeoutMs, int concurrency, int queue,
                           long claimIdleMs, int deliveriesKept, String webhookAllowedNetworks) {

  public static NotifyConfig from(JsonObject raw) {
    var config = new NotifyConfig(SmtpConfig.from(raw),
        VigieConfig.integer(raw, "notify.maxAttempts", 5),
        VigieConfig.integer(raw, "notify.backoffMs", 1000),
        VigieConfig.integer(raw, "notify.timeoutMs", 10000),
        VigieConfig.integer(raw, "notify.concurrency", 1),
        VigieConfig.integer(raw, "notify.queue", 1000),
        VigieConfig.integer(raw, "notify.claimIdleMs", 30000),
        VigieConfig.integer(raw, "notify.deliveriesKept", 100),
        VigieConfig.stringAt(raw, "notify.webhookAllowedNetworks", ""));
    WebhookAddresses.allowing(config.webhookAllowedNetworks); // a network that does not parse stops the service
    if (config.maxAttempts < 1 || config.concurrency < 1 || config.queue < 1 || config.deliveriesKept < 1
        || config.backoffMs < 0 || config.timeoutMs < 1 || config.claimIdleMs < 1) {
      throw new IllegalArgumentException("notify.* settings must be positive (backoffMs may be 0): " + config);
    }
    return config;
  }
}
