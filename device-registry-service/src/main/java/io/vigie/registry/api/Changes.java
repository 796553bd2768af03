package io.vigie.registry.api;

import io.vertx.core.Vertx;
import io.vigie.common.Addresses;
import io.vigie.common.audit.AuditEvent;
import io.vigie.common.audit.AuditLog;
import io.vigie.common.message.RegistryChange;
import io.vigie.common.message.RegistryChange.Kind;
import java.util.Collection;

/**
 * After every write: publishes {@link Addresses#REGISTRY_CHANGED} ({@link RegistryChange}), so caches elsewhere drop
 * the object, and records who did it in the audit trail ({@link AuditLog}).
 */
public record Changes(Vertx vertx, AuditLog audit) {

  /** Records the change in the audit trail (a failure is logged: the change itself is done). */
  public void audit(AuditEvent event) {
    audit.record(event);
  }

  public void publish(Kind kind, String id, String tenant) {
    vertx.eventBus().publish(Addresses.REGISTRY_CHANGED, new RegistryChange(kind, id, tenant).toJson());
  }

  /** One event per id. */
  public void publishAll(Kind kind, Collection<String> ids, String tenant) {
    ids.forEach(id -> publish(kind, id, tenant));
  }
}
