package io.vigie.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./vigie} does: with nothing configured, the platform starts its own Redis,
 * Elasticsearch (as an unprivileged user when run as root) and MQTT broker under the data folder,
 * serves, stops everything, and finds its data again on the next start. The data folder sits in a
 * private (mode 700) directory, like a checkout under {@code /root}: when run as root,
 * Elasticsearch's user cannot reach it, and the platform must still work.
 */
@DisplayName("The embedded platform (./vigie)")
class EmbeddedPlatformTest {
  @TempDir Path home;
  Path dataDir;
  Vertx vertx = Vertx.vertx();

  @BeforeEach
  void privateDataFolder() throws Exception {
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    dataDir = home.resolve("vigie-data");
  }

  @AfterEach
  void cleanUp() throws Exception {
    vertx.close();
    var elasticsearch = dataDir.resolve("elasticsearch");
    if (Files.isSymbolicLink(elasticsearch)) {
      // relocated out of the private folder for Elasticsearch's user: remove what this test left there
      io.vigie.embedded.InfraFiles.deleteTree(elasticsearch.toRealPath());
    }
  }

  static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("starts its own infrastructure, is ready, stops it all, and keeps its data across a restart")
  void embeddedLifecycle() throws Exception {
    var overrides = new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", dataDir.toString()))
        .put("auth", new JsonObject().put("adminPassword", "embedded-admin-password"))
        .put("udp", new JsonObject().put("port", 0));
    var firstOutput = new ByteArrayOutputStream();
    String redisUrl;
    String esUrl;
    try (var platform = Platform.start(Map.of(), overrides, new PrintStream(firstOutput, true, StandardCharsets.UTF_8))) {
      redisUrl = platform.redisUrl();
      esUrl = platform.elasticsearchUrl();
      var client = new PlatformClient(vertx, platform.port());
      // ready once Redis, Elasticsearch and the broker are reachable (the gateway's MQTT session connects
      // in the background)
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
          .until(() -> join(client.http.get("/health/ready").send()).statusCode() == 200);
      var ready = join(client.http.get("/health/ready").send());
      assertThat(ready.bodyAsJsonObject().getString("outcome")).isEqualTo("UP");
      assertThat(ready.bodyAsString()).contains("\"id\":\"mqtt\"", "\"id\":\"elasticsearch\"", "\"id\":\"redis\"");

      var token = join(client.token("admin", "embedded-admin-password"));
      var created = join(client.post(token, "/api/v1/nodes", new JsonObject().put("id", "site-lyon")
          .put("parentId", "default").put("kind", "site").put("name", "Lyon")));
      assertThat(created.statusCode()).isEqualTo(201);
    }
    var printed = firstOutput.toString(StandardCharsets.UTF_8);
    var ingestToken = Files.readString(dataDir.resolve("ingest-token")).trim();
    assertThat(printed).contains("Elasticsearch").contains(ingestToken);
    assertThat(listening(redisUrl)).as("Redis stopped").isFalse();
    assertThat(listening(esUrl)).as("Elasticsearch stopped").isFalse();

    var secondOutput = new ByteArrayOutputStream();
    try (var platform = Platform.start(Map.of(), overrides, new PrintStream(secondOutput, true, StandardCharsets.UTF_8))) {
      var client = new PlatformClient(vertx, platform.port());
      var token = join(client.token("admin", "embedded-admin-password"));
      var node = join(client.http.get("/api/v1/nodes/site-lyon").bearerTokenAuthentication(token).send());
      assertThat(node.statusCode()).as("the node survives the restart").isEqualTo(200);
      assertThat(node.bodyAsJsonObject().getString("name")).isEqualTo("Lyon");
    }
    assertThat(secondOutput.toString(StandardCharsets.UTF_8)).as("the secret is shown once").doesNotContain(ingestToken);
  }

  private static boolean listening(String url) {
    var uri = java.net.URI.create(url);
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
