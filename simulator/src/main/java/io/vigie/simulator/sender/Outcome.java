package io.vigie.simulator.sender;

/**
 * What became of one uplink, as far as its sender can tell.
 *
 * @param status the HTTP status when there is one, else 0
 * @param endToEnd whether the acknowledgement means "stored by the platform" (HTTP: yes; MQTT: the broker's
 *     PUBACK, which says the broker took it; UDP: a PUSH_ACK, which says the datagram arrived)
 */
public record Outcome(Kind kind, int status, String detail, boolean endToEnd) {

  public enum Kind {
    /** Acknowledged: HTTP 202, the broker's PUBACK, PUSH_ACK from every gateway's copy. */
    ACKED,
    /** HTTP 200 {@code {"duplicate":true}}: the platform already had it. */
    DUPLICATE,
    /** Refused for good (HTTP 4xx, or 204 "ignored"): sending it again would not help. */
    REJECTED,
    /** Not taken now (HTTP 5xx, no answer, connection lost, no PUBACK or PUSH_ACK in time). */
    FAILED
  }

  public static Outcome acked(boolean endToEnd) {
    return new Outcome(Kind.ACKED, 0, "", endToEnd);
  }

  public static Outcome failed(String why) {
    return new Outcome(Kind.FAILED, 0, why, false);
  }

  /** An ingestion endpoint's answer (gateway-service/README.md): 202, 200 duplicate, 4xx, 5xx. */
  public static Outcome http(int status, String body) {
    var detail = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
    if (status == 200) return new Outcome(Kind.DUPLICATE, status, detail, true);
    if (status == 204) return new Outcome(Kind.REJECTED, status, "ignored by the platform", true);
    if (status / 100 == 2) return new Outcome(Kind.ACKED, status, "", true);
    if (status / 100 == 4) return new Outcome(Kind.REJECTED, status, detail, true);
    return new Outcome(Kind.FAILED, status, detail, true);
  }

  /** Acked or duplicate: the platform has it (or, without end to end, the next hop has it). */
  public boolean delivered() {
    return kind == Kind.ACKED || kind == Kind.DUPLICATE;
  }

  @Override
  public String toString() {
    return kind + (status != 0 ? " " + status : "") + (detail.isEmpty() ? "" : " " + detail);
  }
}
