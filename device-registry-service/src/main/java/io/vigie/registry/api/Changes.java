package io.vigie.registry.api;

import io.vertx.core.Vertx;
import io.vigie.common.Addresses;
import io.vigie.common.message.RegistryChange;
import io.vigie.common.message.RegistryChange.Kind;
import java.util.Collection;

/** Publishes {@link Addresses#REGISTRY_CHANGED} ({@link RegistryChange}) after every write, so caches elsewhere drop the object. */
public final class Changes {
  private final Vertx vertx;

  public Changes(Vertx vertx) {
    this.vertx = vertx;
  }

  public void publish(Kind kind, String id, String tenant) {
    vertx.eventBus().publish(Addresses.REGISTRY_CHANGED, new RegistryChange(kind, id, tenant).toJson());
  }

  /** One event per id. */
  public void publishAll(Kind kind, Collection<String> ids, String tenant) {
    ids.forEach(id -> publish(kind, id, tenant));
  }
}
