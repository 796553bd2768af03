package io.vigie.alert.config;

import io.vertx.core.json.JsonObject;
import io.vigie.common.config.VigieConfig;
import java.util.Locale;

/**
 * Where email notifications are sent from ({@code smtp.*}, {@code VIGIE_SMTP_*}); no host: no email.
 *
 * @param starttls {@code disabled}, {@code optional} or {@code required}
 * @param ssl implicit TLS from the first byte (port 465), instead of STARTTLS
 */
public record SmtpConfig(String host, int port, String username, String password, String from, String starttls,
                         boolean ssl) {

  public static SmtpConfig from(JsonObject raw) {
    var host = VigieConfig.stringAt(raw, "smtp.host", "").trim();
    var port = VigieConfig.integer(raw, "smtp.port", 587);
    var from = VigieConfig.stringAt(raw, "smtp.from", "").trim();
    var starttls = VigieConfig.stringAt(raw, "smtp.starttls", "optional").trim().toLowerCase(Locale.ROOT);
    if (!host.isEmpty() && from.isEmpty()) {
      throw new IllegalArgumentException("smtp.from (VIGIE_SMTP_FROM) is required with smtp.host (VIGIE_SMTP_HOST), "
          + "e.g. vigie@example.com");
    }
    if (port < 1 || port > 65535) throw new IllegalArgumentException("smtp.port (VIGIE_SMTP_PORT) must be 1..65535, got " + port);
    if (!starttls.equals("disabled") && !starttls.equals("optional") && !starttls.equals("required")) {
      throw new IllegalArgumentException("smtp.starttls (VIGIE_SMTP_STARTTLS) must be disabled, optional or required, got '"
          + starttls + "'");
    }
    return new SmtpConfig(host, port, blankToNull(VigieConfig.stringAt(raw, "smtp.username", "")),
        blankToNull(VigieConfig.stringAt(raw, "smtp.password", "")), from, starttls,
        "true".equalsIgnoreCase(VigieConfig.stringAt(raw, "smtp.ssl", "false").trim()));
  }

  /** True when email can be sent. */
  public boolean configured() {
    return !host.isEmpty();
  }

  /** Never the password. */
  @Override
  public String toString() {
    return "smtp " + (configured() ? host + ":" + port + (ssl ? " ssl" : " starttls " + starttls)
        + (username == null ? "" : " as " + username) + " from " + from : "not configured");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
