package io.vigie.registry.domain;

import java.util.List;

/** A node of a subtree with the DevEUIs attached directly to it. */
public record TreeNode(Node node, List<String> devices) {

  public TreeNode {
    devices = devices.stream().sorted().toList();
  }
}
