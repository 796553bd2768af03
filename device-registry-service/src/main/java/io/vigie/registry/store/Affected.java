package io.vigie.registry.store;

import java.util.List;

/**
 * The answer of a write that touches a whole subtree or tenant: its outcome and what it touched (for the
 * {@code registry.changed} events): node ids, DevEUIs, usernames and client ids.
 */
public record Affected(Outcome outcome, List<String> nodes, List<String> devices, List<String> users,
                       List<String> clients) {

  public Affected {
    nodes = List.copyOf(nodes);
    devices = List.copyOf(devices);
    users = List.copyOf(users);
    clients = List.copyOf(clients);
  }

  static Affected of(Outcome outcome) {
    return new Affected(outcome, List.of(), List.of(), List.of(), List.of());
  }
}
