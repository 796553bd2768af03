package io.vigie.realtime.store;

import io.vertx.core.Future;
import io.vigie.realtime.domain.LiveAddress;
import io.vigie.registry.client.RegistryClient;
import io.vigie.registry.client.RegistryFailures;
import io.vigie.registry.client.Scope;

/** Asks the device registry through the {@link RegistryClient} (cached, invalidated by {@code registry.changed}). */
public final class RegistryTargetScopes implements TargetScopes {
  private final RegistryClient registry;

  public RegistryTargetScopes(RegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public Future<Scope> scopeOf(LiveAddress target, String tenant) {
    // a device is covered by the grants on its node path, a node is part of its own subtree
    var scope = target.isDevice() ? registry.deviceScope(target.id()) : registry.nodeScope(tenant, target.id());
    return scope.recover(failure -> Future.failedFuture(
        RegistryFailures.isNotFound(failure) ? new UnknownTarget(target.address()) : failure));
  }
}
