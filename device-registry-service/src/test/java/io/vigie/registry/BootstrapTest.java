package io.vigie.registry;

import static io.vigie.registry.RegistryFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("First start of an empty registry")
class BootstrapTest {
  private static final Pattern PASSWORD_LINE = Pattern.compile("admin password \\(shown once\\): (\\S+)");
  private String url;
  private Vertx configVertx;

  @BeforeEach
  void emptyRegistry(EmbeddedRedis redis) {
    url = redis.url() + "/5";
    RegistryFixture.flush(url);
    configVertx = Vertx.vertx();
  }

  @AfterEach
  void closeConfigVertx() {
    await(configVertx.close());
  }

  /** Runs {@code action} with System.out captured, and returns what it printed (also echoed to the real stdout). */
  private static String capturingStdout(Runnable action) {
    var original = System.out;
    var captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    var text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  private static List<String> printedPasswords(String stdout) {
    return PASSWORD_LINE.matcher(stdout).results().map(m -> LeakWatch.remember(m.group(1))).toList();
  }

  @Test
  @DisplayName("without a configured password, one is generated, printed once, and works; a restart keeps it and prints nothing")
  void generatedPassword() throws IOException {
    var dataDir = RegistryFixture.tempDir();
    var holder = new RegistryFixture[1];
    var first = capturingStdout(() -> holder[0] = RegistryFixture.launchOn(url, dataDir, new JsonObject()));
    var passwords = printedPasswords(first);
    assertThat(passwords).hasSize(1);
    var password = passwords.get(0);
    assertThat(password).hasSizeGreaterThanOrEqualTo(24);
    String kid;
    try (var registry = holder[0]) {
      var token = registry.login("admin", password);
      kid = AuthTokenTest.part(token, 0).getString("kid");
      assertThat(registry.get("/api/v1/nodes/default", token).bodyAsJsonObject().getString("kind")).isEqualTo("tenant");
      assertThat(registry.redis(Request.cmd(Command.HGET).arg("vigie:{registry}:user:admin").arg("passwordHash")).toString())
          .startsWith("$argon2id$v=19$").doesNotContain(password);
    }

    var second = capturingStdout(() -> holder[0] = RegistryFixture.launchOn(url, dataDir, new JsonObject()));
    try (var registry = holder[0]) {
      assertThat(printedPasswords(second)).isEmpty();
      var token = registry.login("admin", password);
      assertThat(AuthTokenTest.part(token, 0).getString("kid")).as("same signing key after a restart").isEqualTo(kid);
    }
  }

  @Test
  @DisplayName("the configured password is used and never printed")
  void configuredPassword() {
    var holder = new RegistryFixture[1];
    var stdout = capturingStdout(() -> holder[0] = RegistryFixture.launchOn(url, RegistryFixture.tempDir(),
        new JsonObject().put("auth", new JsonObject().put("adminPassword", "configured-secret-1"))));
    try (var registry = holder[0]) {
      assertThat(stdout).doesNotContain("configured-secret-1");
      assertThat(printedPasswords(stdout)).isEmpty();
      assertThat(registry.token("admin", "configured-secret-1").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("two instances starting at once on an empty registry create one admin, print one password and share one key")
  void concurrentStart() throws Exception {
    var dataDir = RegistryFixture.tempDir();
    var launched = new java.util.ArrayList<ServiceLauncher.Running>();
    var stdout = capturingStdout(() -> {
      var a = RegistryFixture.launch(configVertx, RegistryFixture.overrides(url, dataDir, new JsonObject()));
      var b = RegistryFixture.launch(configVertx, RegistryFixture.overrides(url, dataDir, new JsonObject()));
      try {
        Future.join(a, b).await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertThat(a.succeeded()).as("first instance: %s", a.cause()).isTrue();
      assertThat(b.succeeded()).as("second instance: %s", b.cause()).isTrue();
      launched.add(a.result());
      launched.add(b.result());
    });
    try {
      var passwords = printedPasswords(stdout);
      assertThat(passwords).hasSize(1);
      for (var running : launched) {
        var client = io.vertx.ext.web.client.WebClient.create(running.vertx());
        var response = await(client.post(running.port(), "127.0.0.1", "/api/v1/auth/token").sendJsonObject(
            new JsonObject().put("grant_type", "password").put("username", "admin").put("password", passwords.get(0))));
        assertThat(response.statusCode()).isEqualTo(200);
      }
      var jwks = launched.stream().map(running -> await(io.vertx.ext.web.client.WebClient.create(running.vertx())
          .get(running.port(), "127.0.0.1", "/.well-known/jwks.json").send()).bodyAsJsonObject()).toList();
      assertThat(jwks.get(0)).isEqualTo(jwks.get(1));
      if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("jwt-signing-key.pem"))))
            .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("master.key"))))
            .isEqualTo("rw-------");
      }
      try (var files = Files.list(dataDir)) {
        assertThat(files.map(p -> p.getFileName().toString()).toList())
            .containsExactlyInAnyOrder("jwt-signing-key.pem", "master.key");
      }
    } finally {
      launched.forEach(running -> await(running.stop()));
    }
  }

  @Test
  @DisplayName("without redis.url the service refuses to start and says which setting is missing")
  void redisUrlRequired() {
    var launch = RegistryFixture.launch(configVertx, new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("data", new JsonObject().put("dir", RegistryFixture.tempDir().toString())));
    try {
      launch.await(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // checked below
    }
    assertThat(launch.failed()).isTrue();
    assertThat(launch.cause().getMessage()).contains("redis.url").contains("VIGIE_REDIS_URL");
  }
}
