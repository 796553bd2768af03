package io.vigie.enrichment.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where measurements live: one index per tenant and month of reception
 * ({@code <prefix>-<tenant>-<yyyy.MM>}), all of a tenant's months behind the alias
 * {@code <prefix>-<tenant>}, and one index template ({@code <prefix>}) matching {@code <prefix>-*}.
 */
public record IndexNames(String prefix) {
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy.MM", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-z0-9_-]");
  /** Tenants are few and every document names one: each tenant's part computed once (a bounded cache). */
  private static final Map<String, String> TENANT_PARTS = new ConcurrentHashMap<>();
  private static final Pattern MONTHLY = Pattern.compile("[a-z0-9_-]+-(\\d{4})\\.(\\d{2})");

  /** The monthly index of a tenant that holds a measurement received at {@code receivedAt} (UTC month). */
  public String index(String tenant, Instant receivedAt) {
    var day = LocalDate.ofEpochDay(Math.floorDiv(receivedAt.getEpochSecond(), 86_400L));
    if (day.getYear() < 1000 || day.getYear() > 9999) return alias(tenant) + "-" + MONTH.format(receivedAt);
    int month = day.getMonthValue();
    return alias(tenant) + "-" + day.getYear() + (month < 10 ? ".0" : ".") + month; // as MONTH writes it, without a formatter
  }

  /** The alias over every monthly index of a tenant: what history queries read. */
  public String alias(String tenant) {
    return prefix + "-" + tenantPart(tenant);
  }

  /** The name of the index template. */
  public String template() {
    return prefix;
  }

  /** The index pattern the template applies to. */
  public String pattern() {
    return prefix + "-*";
  }

  /**
   * The month of one of this prefix's monthly indices ({@code <prefix>-<tenant>-<yyyy.MM>}); empty for any other
   * name (an alias, another prefix's index, an index someone made by hand).
   */
  public Optional<YearMonth> month(String index) {
    if (index == null || !index.startsWith(prefix + "-")) return Optional.empty();
    var matcher = MONTHLY.matcher(index.substring(prefix.length() + 1));
    if (!matcher.matches()) return Optional.empty();
    int month = Integer.parseInt(matcher.group(2));
    return month < 1 || month > 12 ? Optional.empty() : Optional.of(YearMonth.of(Integer.parseInt(matcher.group(1)), month));
  }

  /**
   * A tenant id as it can appear in an index name: lower case, any character outside
   * {@code [a-z0-9_-]} replaced by {@code _}. Documents keep the exact tenant in their {@code tenant} field.
   */
  static String tenantPart(String tenant) {
    if (tenant == null || tenant.isBlank()) throw new IllegalArgumentException("the device has no tenant");
    var known = TENANT_PARTS.get(tenant);
    if (known != null) return known;
    var part = NOT_ALLOWED.matcher(tenant.toLowerCase(Locale.ROOT)).replaceAll("_");
    if (TENANT_PARTS.size() < 10_000) TENANT_PARTS.put(tenant, part);
    return part;
  }
}
