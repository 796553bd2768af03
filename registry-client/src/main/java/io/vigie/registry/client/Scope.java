package io.vigie.registry.client;

import java.util.List;

/**
 * Where something sits in the hierarchy, for access checks.
 *
 * @param pathIds from the tenant root down to the node itself (a device: down to its node)
 */
public record Scope(String tenant, List<String> pathIds) {
  public Scope {
    pathIds = List.copyOf(pathIds);
  }
}
