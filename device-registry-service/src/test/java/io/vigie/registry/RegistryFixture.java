package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.common.config.ConfigLoader;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.launch.ServiceLauncher;
import io.vigie.common.redis.RedisClients;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.embedded.EmbeddedRedisCluster;
import io.vigie.testing.Infra;
import io.vigie.testing.RealRedisCluster;
import org.junit.jupiter.api.TestInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One registry launched like in production (through {@link ServiceLauncher}) on a real Redis, in its own
 * Redis database so that test classes sharing the JVM's Redis do not see each other's data.
 */
final class RegistryFixture implements AutoCloseable {
  static final String ADMIN_PASSWORD = LeakWatch.remember("correct horse battery staple");

  final Vertx client;
  final ServiceLauncher.Running running;
  final WebClient http;
  final Redis raw;
  final Path dataDir;
  final String redisUrl;

  private RegistryFixture(Vertx client, ServiceLauncher.Running running, Redis raw, Path dataDir, String redisUrl) {
    this.client = client;
    this.running = running;
    this.raw = raw;
    this.dataDir = dataDir;
    this.redisUrl = redisUrl;
    this.http = WebClient.create(client, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(running.port()));
  }

  /** Empties Redis database {@code db}, then launches the registry on it with the bootstrap admin password set. */
  static RegistryFixture start(EmbeddedRedis redis, int db) {
    return start(redis, db, adminPassword());
  }

  /** The settings that set the bootstrap admin's password. */
  static JsonObject adminPassword() {
    return new JsonObject().put("auth", new JsonObject().put("adminPassword", ADMIN_PASSWORD));
  }

  static RegistryFixture start(EmbeddedRedis redis, int db, JsonObject extra) {
    var url = redis.url() + "/" + db;
    flush(url);
    return launchOn(url, tempDir(), extra);
  }

  /**
   * On the JVM's Redis Cluster when the test class is marked {@link RealRedisCluster} (a subclass running a test class
   * again on the cluster), else on database {@code db} of {@code redis}.
   */
  static RegistryFixture start(EmbeddedRedis redis, int db, JsonObject extra, TestInfo test) {
    return test.getTestClass().filter(type -> type.isAnnotationPresent(RealRedisCluster.class)).isPresent()
        ? startOnCluster(Infra.redisCluster(), extra) : start(redis, db, extra);
  }

  /** Empties every master of a Redis Cluster, then launches the registry on it (VIGIE_REDIS_URL lists the masters). */
  static RegistryFixture startOnCluster(EmbeddedRedisCluster cluster, JsonObject extra) {
    for (var node : cluster.nodes()) {
      try {
        EmbeddedRedisCluster.command(node.port(), "FLUSHALL");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return launchOn(cluster.url(), tempDir(), extra);
  }

  /** Launches on a database as it is (no flush), with the given data directory. */
  static RegistryFixture launchOn(String url, Path dataDir, JsonObject extra) {
    var client = Vertx.vertx();
    var running = await(launch(client, overrides(url, dataDir, extra)));
    return new RegistryFixture(client, running, RedisClients.create(client, url), dataDir, url);
  }

  /**
   * Loads the configuration like {@code ServiceLauncher.launch(modules, environment, overrides)} (defaults, no
   * environment, overrides) and launches. The configuration is loaded on the caller's long-lived Vert.x: the
   * launcher's own variant continues on a Vert.x it has just closed and can hang (reported to the lead).
   */
  static Future<ServiceLauncher.Running> launch(Vertx configVertx, JsonObject overrides) {
    var raw = await(ConfigLoader.load(configVertx, Map.of(), overrides));
    return ServiceLauncher.launch(List.of(new RegistryService()), VigieConfig.from(raw));
  }

  static JsonObject overrides(String url, Path dataDir, JsonObject extra) {
    return new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("redis", new JsonObject().put("url", url))
        .put("data", new JsonObject().put("dir", dataDir.toString()))
        .mergeIn(extra, true);
  }

  static void flush(String url) {
    var vertx = Vertx.vertx();
    try {
      var redis = Redis.createClient(vertx, url);
      await(redis.send(Request.cmd(Command.FLUSHDB)));
    } finally {
      await(vertx.close());
    }
  }

  static Path tempDir() {
    try {
      var base = Path.of(System.getProperty("vigie.test.workdir", System.getProperty("java.io.tmpdir")));
      Files.createDirectories(base);
      return Files.createTempDirectory(base, "registry-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  String login(String username, String password) {
    var response = token(username, password);
    assertThat(response.statusCode()).as("login of %s: %s", username, response.bodyAsString()).isEqualTo(200);
    return LeakWatch.remember(response.bodyAsJsonObject().getString("access_token"));
  }

  String adminToken() {
    return login("admin", ADMIN_PASSWORD);
  }

  HttpResponse<Buffer> token(String username, String password) {
    LeakWatch.remember(password);
    return await(http.post("/api/v1/auth/token").sendJsonObject(new JsonObject().put("grant_type", "password")
        .put("username", username).put("password", password)));
  }

  HttpResponse<Buffer> get(String path, String token) {
    return await(authorized(http.get(path), token).send());
  }

  HttpResponse<Buffer> post(String path, String token, JsonObject body) {
    return await(authorized(http.post(path), token).sendJsonObject(body));
  }

  HttpResponse<Buffer> put(String path, String token, JsonObject body) {
    return await(authorized(http.put(path), token).sendJsonObject(body));
  }

  HttpResponse<Buffer> patch(String path, String token, JsonObject body) {
    return await(authorized(http.patch(path), token).sendJsonObject(body));
  }

  HttpResponse<Buffer> delete(String path, String token) {
    return await(authorized(http.delete(path), token).send());
  }

  /** A body of another type (CSV, plain text). */
  HttpResponse<Buffer> post(String path, String token, String contentType, String body) {
    return await(authorized(http.post(path), token).putHeader("Content-Type", contentType).sendBuffer(Buffer.buffer(body)));
  }

  /** A token for the client credentials. */
  HttpResponse<Buffer> clientToken(String clientId, String secret) {
    LeakWatch.remember(secret);
    return await(http.post("/api/v1/auth/token").sendJsonObject(new JsonObject().put("grant_type", "client_credentials")
        .put("client_id", clientId).put("client_secret", secret)));
  }

  /** Creates a device type {@code id} (Cayenne LPP) as {@code token}. */
  void deviceType(String token, String id) {
    var response = put("/api/v1/device-types/" + id, token, DeviceApiTest.lpp(id));
    assertThat(response.statusCode()).as(response.bodyAsString()).isIn(200, 201);
  }

  /** Creates a network-decrypted device and checks it answered 201. */
  JsonObject device(String token, String devEui, String nodeId, String type) {
    var response = post("/api/v1/devices", token, DeviceApiTest.clear(devEui, nodeId).put("type", type));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  /** Creates tenant {@code id} with its first admin {@code id + "-admin"} as the platform admin, and returns that admin's token. */
  String tenant(String platformAdmin, String id, String name) {
    var password = id + "-admin-password";
    var response = post("/api/v1/tenants", platformAdmin, new JsonObject().put("id", id).put("name", name)
        .put("admin", new JsonObject().put("username", id + "-admin").put("password", password)));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return login(id + "-admin", password);
  }

  private static HttpRequest<Buffer> authorized(HttpRequest<Buffer> request, String token) {
    return token == null ? request : request.bearerTokenAuthentication(token);
  }

  /** Creates a node as {@code token} and checks it answered 201. */
  JsonObject node(String token, String id, String parentId, String kind, String name) {
    var response = post("/api/v1/nodes", token, new JsonObject().put("id", id).put("parentId", parentId)
        .put("kind", kind).put("name", name));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  /** Creates a user as {@code adminToken} and returns its token. */
  String user(String adminToken, String username, String role, String... scopes) {
    LeakWatch.remember(username + "-password");
    var response = post("/api/v1/users", adminToken, new JsonObject().put("username", username)
        .put("password", username + "-password").put("role", role).put("scopes", new io.vertx.core.json.JsonArray(List.of(scopes))));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return login(username, username + "-password");
  }

  Response redis(Request request) {
    return await(raw.send(request));
  }

  @Override
  public void close() {
    await(running.stop());
    await(client.close());
  }
}
