package io.vigie.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FreePorts")
class FreePortsTest {

  @Test
  @DisplayName("hands out distinct, bindable loopback ports below the ephemeral range, where outgoing connections never take them")
  void belowTheEphemeralRange() throws Exception {
    var range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    int ephemeralStart = Files.isReadable(range)
        ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]) : 65536;
    var seen = new HashSet<Integer>();
    for (int i = 0; i < 50; i++) {
      int port = FreePorts.find();
      assertThat(seen.add(port)).as("port " + port + " handed out once").isTrue();
      if (ephemeralStart > 20000) assertThat(port).isBetween(20000, ephemeralStart - 1);
      try (var socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress("127.0.0.1", port));
      }
    }
  }
}
