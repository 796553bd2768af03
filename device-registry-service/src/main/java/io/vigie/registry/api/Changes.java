package io.vigie.registry.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import java.util.Collection;

/** Publishes {@link Addresses#REGISTRY_CHANGED} after every write, so caches elsewhere drop the object. */
public final class Changes {
  private final Vertx vertx;

  public Changes(Vertx vertx) {
    this.vertx = vertx;
  }

  /** @param kind {@code node}, {@code device}, {@code device-type}, {@code user}, {@code client} or {@code tenant} */
  public void publish(String kind, String id, String tenant) {
    vertx.eventBus().publish(Addresses.REGISTRY_CHANGED,
        new JsonObject().put("kind", kind).put("id", id).put("tenant", tenant));
  }

  /** One event per id. */
  public void publishAll(String kind, Collection<String> ids, String tenant) {
    ids.forEach(id -> publish(kind, id, tenant));
  }
}
