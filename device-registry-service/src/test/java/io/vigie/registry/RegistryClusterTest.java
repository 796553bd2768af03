package io.vigie.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.embedded.EmbeddedRedisCluster;
import io.vigie.testing.RealRedisCluster;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The registry with VIGIE_REDIS_URL listing the three masters of a real Redis Cluster. */
@RealRedisCluster
@DisplayName("The registry on a three-master Redis Cluster")
class RegistryClusterTest {
  private static RegistryFixture registry;
  private static String admin;

  @BeforeAll
  static void start(EmbeddedRedisCluster cluster) {
    registry = RegistryFixture.startOnCluster(cluster);
    admin = registry.adminToken();
    registry.deviceType(admin, "probe");
  }

  @AfterAll
  static void stop() {
    if (registry != null) registry.close();
  }

  @Test
  @DisplayName("nodes, a move and the tree: the tree scripts walk the registry in one slot")
  void tree() {
    registry.node(admin, "c-site", "default", "site", "Site");
    registry.node(admin, "c-room", "c-site", "room", "Room");
    registry.node(admin, "c-other", "default", "site", "Other");
    assertThat(registry.post("/api/v1/nodes/c-room/move", admin, new JsonObject().put("parentId", "c-other")).statusCode()).isEqualTo(200);

    var tree = registry.get("/api/v1/nodes/c-other/tree", admin);
    assertThat(tree.statusCode()).as(tree.bodyAsString()).isEqualTo(200);
    assertThat(tree.bodyAsString()).contains("c-room").doesNotContain("c-site");
    assertThat(registry.patch("/api/v1/nodes/c-site", admin, new JsonObject().put("name", "Renamed")).statusCode()).isEqualTo(200);
    assertThat(registry.get("/api/v1/nodes/c-site", admin).bodyAsJsonObject().getString("name")).isEqualTo("Renamed");
  }

  @Test
  @DisplayName("devices are created, listed recursively and deleted with their node's cascade")
  void devices() {
    registry.node(admin, "d-site", "default", "site", "Site");
    registry.node(admin, "d-room", "d-site", "room", "Room");
    registry.device(admin, "c100000000000001", "d-site", "probe");
    registry.device(admin, "c100000000000002", "d-room", "probe");

    var recursive = registry.get("/api/v1/devices?nodeId=d-site&recursive=true", admin).bodyAsJsonObject().getJsonArray("devices");
    assertThat(recursive.stream().map(d -> ((JsonObject) d).getString("devEui")))
        .containsExactlyInAnyOrder("c100000000000001", "c100000000000002");
    assertThat(registry.delete("/api/v1/nodes/d-site?cascade=true", admin).statusCode()).isEqualTo(204);
    assertThat(registry.get("/api/v1/devices/c100000000000002", admin).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("users log in with their scopes; deleting a node prunes it from their scopes; a second tenant keeps its own")
  void usersAndScopes() {
    registry.node(admin, "u-site", "default", "site", "Site");
    registry.node(admin, "u-keep", "default", "site", "Keep");
    registry.user(admin, "c-viewer", "viewer", "u-site", "u-keep");
    assertThat(registry.delete("/api/v1/nodes/u-site", admin).statusCode()).isEqualTo(204);

    var user = registry.get("/api/v1/users/c-viewer", admin).bodyAsJsonObject();
    assertThat(user.getJsonArray("scopes")).isEqualTo(new JsonArray(List.of("u-keep")));
    var other = registry.tenant(admin, "c-tenant", "Other tenant");
    assertThat(registry.get("/api/v1/nodes/c-tenant", other).statusCode()).isEqualTo(200);
    assertThat(registry.get("/api/v1/users/c-viewer", other).statusCode()).isEqualTo(404);
    assertThat(registry.token("c-viewer", "wrong-password").statusCode()).isEqualTo(401);
  }
}
