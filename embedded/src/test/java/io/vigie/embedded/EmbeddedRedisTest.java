package io.vigie.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("EmbeddedRedis")
class EmbeddedRedisTest {

  @TempDir
  Path workDir;

  @Test
  @DisplayName("answers PING, SET and GET, bound to 127.0.0.1 only, and logs into its work directory")
  void answersOverResp() throws IOException {
    try (EmbeddedRedis redis = EmbeddedRedis.start(workDir, 0, false); RespClient client = new RespClient(redis.port())) {
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(client.command("PING")).isEqualTo("PONG");
      assertThat(client.command("SET", "greeting", "héllo wörld")).isEqualTo("OK");
      assertThat(client.command("GET", "greeting")).isEqualTo("héllo wörld");
      assertThat(client.command("GET", "missing")).isNull();
      assertThat(client.command("CONFIG", "GET", "bind")).isEqualTo(List.of("bind", "127.0.0.1"));
      assertThat(client.command("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
      assertThat(workDir.resolve("redis.log")).content().contains("Ready to accept connections");
    }
  }

  @Test
  @DisplayName("with append-only persistence, keeps its data across a stop and a start on the same work directory")
  void appendOnlySurvivesRestart() throws IOException {
    try (EmbeddedRedis redis = EmbeddedRedis.start(workDir, 0, true); RespClient client = new RespClient(redis.port())) {
      assertThat(client.command("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "yes"));
      assertThat(client.command("SET", "device:42", "online")).isEqualTo("OK");
      assertThat(client.command("INCRBY", "uplinks", "7")).isEqualTo(7L);
    }
    assertThat(workDir.resolve("appendonly.aof")).isNotEmptyFile();

    try (EmbeddedRedis redis = EmbeddedRedis.start(workDir, 0, true); RespClient client = new RespClient(redis.port())) {
      assertThat(client.command("GET", "device:42")).isEqualTo("online");
      assertThat(client.command("GET", "uplinks")).isEqualTo("7");
    }
  }

  @Test
  @DisplayName("signal KILL crashes the server (a restart on the same folder and port reloads the append-only file), "
      + "STOP freezes it until CONT")
  void signals() throws IOException {
    EmbeddedRedis redis = EmbeddedRedis.start(workDir, 0, true);
    int port = redis.port();
    try (RespClient client = new RespClient(port)) {
      client.command("SET", "reading", "4.2");
      redis.signal("STOP");
      client.timeout(500);
      assertThatThrownBy(() -> client.command("PING")).isInstanceOf(java.net.SocketTimeoutException.class);
    }
    redis.signal("CONT");
    try (RespClient client = new RespClient(port)) {
      assertThat(client.command("PING")).isEqualTo("PONG");
    }
    redis.signal("KILL");
    redis.close();   // returns at once: nothing left to stop
    assertThatThrownBy(() -> new RespClient(port)).isInstanceOf(ConnectException.class);
    try (EmbeddedRedis again = EmbeddedRedis.start(workDir, port, true); RespClient client = new RespClient(port)) {
      assertThat(client.command("GET", "reading")).isEqualTo("4.2");
    }
  }

  @Test
  @DisplayName("without persistence, starts empty after a restart on the same work directory")
  void noPersistenceWithoutAppendOnly() throws IOException {
    try (EmbeddedRedis redis = EmbeddedRedis.start(workDir, 0, false); RespClient client = new RespClient(redis.port())) {
      client.command("SET", "ephemeral", "yes");
    }
    try (EmbeddedRedis redis = EmbeddedRedis.start(workDir, 0, false); RespClient client = new RespClient(redis.port())) {
      assertThat(client.command("GET", "ephemeral")).isNull();
    }
    try (var files = Files.list(workDir)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("appendonly.aof", "dump.rdb");
    }
  }

  @Test
  @DisplayName("listens on the requested port, frees it on close, and close is idempotent")
  void requestedPortAndClose() throws IOException {
    int port = FreePorts.find();
    EmbeddedRedis redis = EmbeddedRedis.start(workDir, port, false);
    assertThat(redis.port()).isEqualTo(port);
    try (RespClient client = new RespClient(port)) {
      assertThat(client.command("PING")).isEqualTo("PONG");
    }
    redis.close();
    redis.close();
    assertThatThrownBy(() -> new RespClient(port)).isInstanceOf(ConnectException.class);
  }

  @Test
  @DisplayName("fails with the end of the Redis log when the requested port is taken")
  void portTaken() throws IOException {
    try (EmbeddedRedis first = EmbeddedRedis.start(workDir.resolve("first"), 0, false)) {
      assertThatThrownBy(() -> EmbeddedRedis.start(workDir.resolve("second"), first.port(), false))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Redis exited")
          .hasMessageContaining("Address already in use");
    }
  }
}
