package io.vigie.alert.domain;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Which of a tenant's rules apply to a device, and where each comes from. Precedence, nearest first: the device's
 * node, its ancestors up to (not including) the tenant root, the device type, then the tenant root. A rule hides every
 * farther rule with the same id or the same name, even when it is disabled (that is how a subtree switches an
 * inherited rule off).
 */
public final class Rules {
  /** The default rule ids every tenant starts with on its root. */
  public static final String DEFAULT_TEMPERATURE = "default-temperature-above";
  public static final String DEFAULT_NO_DATA = "default-no-data";

  private Rules() {}

  /** A rule that applies, and where it is inherited from: a node id, or {@code deviceType} (then {@code from} is null). */
  public record Effective(Rule rule, String fromNode, String fromDeviceType) {
    public JsonObject toJson() {
      var json = rule.toJson();
      if (fromNode != null) json.put("inheritedFrom", fromNode);
      if (fromDeviceType != null) json.put("inheritedFromDeviceType", fromDeviceType);
      return json;
    }
  }

  /**
   * @param pathIds the node path, tenant root first, down to the device's node (or the node asked about)
   * @param deviceType the device's type, or null
   * @return every applicable rule (disabled ones included), by id
   */
  public static List<Effective> effective(Collection<Rule> tenantRules, List<String> pathIds, String deviceType) {
    var byPrecedence = new ArrayList<Rule>();
    for (int i = pathIds.size() - 1; i >= 1; i--) byPrecedence.addAll(on(tenantRules, pathIds.get(i), null));
    if (deviceType != null) byPrecedence.addAll(on(tenantRules, null, deviceType));
    if (!pathIds.isEmpty()) byPrecedence.addAll(on(tenantRules, pathIds.get(0), null));
    var kept = new ArrayList<Rule>();
    for (var rule : byPrecedence) {
      if (kept.stream().noneMatch(k -> k.id().equals(rule.id()) || k.key().equals(rule.key()))) kept.add(rule);
    }
    return kept.stream().sorted(Comparator.comparing(Rule::id))
        .map(rule -> new Effective(rule, rule.nodeId(), rule.deviceType())).toList();
  }

  /** The enabled rules of {@link #effective}. */
  public static List<Rule> active(Collection<Rule> tenantRules, List<String> pathIds, String deviceType) {
    return effective(tenantRules, pathIds, deviceType).stream().map(Effective::rule).filter(Rule::enabled).toList();
  }

  private static List<Rule> on(Collection<Rule> rules, String nodeId, String deviceType) {
    return rules.stream()
        .filter(r -> nodeId != null ? nodeId.equals(r.nodeId()) : deviceType.equals(r.deviceType()))
        .sorted(Comparator.comparing(Rule::id)).toList();
  }

  /**
   * What a new tenant starts with on its root: a temperature above {@code temperatureAbove} for 15 minutes (major,
   * critical after an hour), and no data for an hour (minor).
   */
  public static List<Rule> defaults(String tenant, double temperatureAbove) {
    return List.of(
        new Rule(DEFAULT_TEMPERATURE, tenant, tenant, null, null, RuleKind.ABOVE, "temperature", temperatureAbove, null,
            null, null, Duration.ofMinutes(15), null, null, "major",
            List.of(new Rule.Escalation(Duration.ofHours(1), "critical")), true),
        new Rule(DEFAULT_NO_DATA, tenant, tenant, null, null, RuleKind.NO_DATA, null, null, null, null, null,
            Duration.ofHours(1), null, null, "minor", List.of(), true));
  }
}
