package io.vigie.common.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.common.auth.VigiePrincipal;
import java.time.Instant;
import java.util.List;

/**
 * One audit entry as a service writes it to {@link AuditLog#STREAM}: {@code {"at","actor":{"sub","role"},"tenant",
 * "action","kind","targetId","targetName"?,"nodeId"?,"path":[ids root→node],"changes"?,"comment"?}} and any extra
 * field a kind needs (e.g. the counts of a cascade delete). Changes go through {@link Redaction}: never a secret.
 */
public final class AuditEvent {
  private final JsonObject json;

  private AuditEvent(JsonObject json) {
    this.json = json;
  }

  /** {@code actor} did {@code action} (create, update, delete, move, import, ack, clear, rotate-keys…) to a {@code kind} (node, device, deviceType, user, client, rule, channel, silence, alert). */
  public static AuditEvent by(VigiePrincipal actor, String action, String kind, String targetId) {
    return new AuditEvent(new JsonObject().put("at", Instant.now().toString())
        .put("actor", new JsonObject().put("sub", actor.subject()).put("role", actor.role().wire()))
        .put("tenant", actor.tenant()).put("action", action).put("kind", kind).put("targetId", targetId));
  }

  public AuditEvent name(String targetName) {
    if (targetName != null) json.put("targetName", targetName);
    return this;
  }

  /** Where the target is: its tenant and the node ids from the root down to its node (the node itself for a node). */
  public AuditEvent place(String tenant, List<String> path) {
    if (tenant != null) json.put("tenant", tenant);
    json.put("path", new JsonArray(List.copyOf(path)));
    if (!path.isEmpty()) json.put("nodeId", path.get(path.size() - 1));
    return this;
  }

  /** What differs from {@code before} to {@code after} (null for a creation or a deletion), secrets redacted. */
  public AuditEvent changes(JsonObject before, JsonObject after) {
    var changes = Redaction.changes(before, after);
    if (!changes.isEmpty()) json.put("changes", changes);
    return this;
  }

  public AuditEvent comment(String comment) {
    if (comment != null) json.put("comment", comment);
    return this;
  }

  /** An extra field (a count, an outcome); a JSON object is recorded without its secrets. */
  public AuditEvent with(String field, Object value) {
    if (Redaction.isSecret(field)) return this;
    json.put(field, value instanceof JsonObject o ? Redaction.strip(o) : value);
    return this;
  }

  public JsonObject toJson() {
    return json.copy();
  }
}
