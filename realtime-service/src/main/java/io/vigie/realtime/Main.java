package io.vigie.realtime;

import io.vigie.common.launch.ServiceLauncher;

/** Runs the realtime service alone (clustered with the others when {@code VIGIE_CLUSTER=true}). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ServiceLauncher.runAlone(new RealtimeService());
  }
}
