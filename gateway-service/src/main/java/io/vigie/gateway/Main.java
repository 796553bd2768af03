package io.vigie.gateway;

import io.vigie.common.launch.ServiceLauncher;

/**
 * Runs the gateway alone: configuration from the defaults, VIGIE_CONFIG and the environment; local, or
 * clustered with VIGIE_CLUSTER=true and VIGIE_CLUSTER_MEMBERS. Logs the port, exits 1 on failure.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runAlone(new GatewayService());
  }
}
