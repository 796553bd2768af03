package io.vigie.enrichment;

import io.vigie.common.launch.ServiceLauncher;

/** Runs the enrichment service alone (VIGIE_ES_URL required; VIGIE_CLUSTER=true to join the others). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runAlone(new EnrichmentService());
  }
}
