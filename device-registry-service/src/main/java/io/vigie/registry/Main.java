package io.vigie.registry;

import io.vigie.common.launch.ServiceLauncher;

/** Runs device-registry-service alone: {@code VIGIE_REDIS_URL=redis://localhost:6379 java … io.vigie.registry.Main}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runAlone(new RegistryService());
  }
}
