package io.vigie.alert.domain;

/**
 * A timer of the alert service, as a member of the deadlines sorted set (scored by due time, ms):
 * {@code no-data|<tenant>|<devEui>|<ruleId>} (the device has been silent for the rule's duration) and
 * {@code escalate|<tenant>|<alertId>} (the alert's next escalation step is due).
 */
public record Deadline(String kind, String tenant, String devEui, String ruleId, String alertId) {
  public static final String NO_DATA = "no-data";
  public static final String ESCALATE = "escalate";

  public static String noData(String tenant, String devEui, String ruleId) {
    return String.join("|", NO_DATA, tenant, devEui, ruleId);
  }

  public static String escalate(String tenant, String alertId) {
    return String.join("|", ESCALATE, tenant, alertId);
  }

  /** @throws IllegalArgumentException for a member of another form */
  public static Deadline parse(String member) {
    var parts = member.split("\\|");
    if (parts.length == 4 && parts[0].equals(NO_DATA)) return new Deadline(NO_DATA, parts[1], parts[2], parts[3], null);
    if (parts.length == 3 && parts[0].equals(ESCALATE)) return new Deadline(ESCALATE, parts[1], null, null, parts[2]);
    throw new IllegalArgumentException("not an alert deadline: " + member);
  }
}
