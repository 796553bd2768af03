package io.vigie.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("EmbeddedRedisCluster")
class EmbeddedRedisClusterTest {

  @TempDir
  Path workDir;

  @Test
  @DisplayName("three masters share the 16384 slots and say cluster_state:ok; a key lives on its slot's master only; close stops them all")
  void threeMasters() throws IOException {
    EmbeddedRedisCluster cluster;
    try (var started = EmbeddedRedisCluster.start(workDir)) {
      cluster = started;
      var nodes = cluster.nodes();
      assertThat(nodes).hasSize(3);
      assertThat(cluster.url().split(",")).hasSize(3).allMatch(url -> url.startsWith("redis://127.0.0.1:"));
      for (var node : nodes) {
        var info = EmbeddedRedisCluster.command(node.port(), "CLUSTER", "INFO");
        assertThat(info).contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_known_nodes:3", "cluster_size:3");
      }
      int accepted = 0;
      for (var node : nodes) {
        var answer = EmbeddedRedisCluster.command(node.port(), "SET", "{tag}:key", "v");
        if ("OK".equals(answer)) accepted++;
        else assertThat(answer).startsWith("-MOVED");
      }
      assertThat(accepted).as("masters that own the key's slot").isEqualTo(1);
    }
    for (var node : cluster.nodes()) {
      assertThatThrownBy(() -> EmbeddedRedisCluster.command(node.port(), "PING")).isInstanceOf(IOException.class);
    }
  }
}
