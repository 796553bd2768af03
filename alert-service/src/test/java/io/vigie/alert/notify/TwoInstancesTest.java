package io.vigie.alert.notify;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vigie.alert.notify.NotifyHarness.Fleet;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.store.ChannelStore;
import io.vigie.alert.notify.store.TransitionStream;
import io.vigie.testing.RealRedis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RealRedis
@DisplayName("Several alert-service instances")
class TwoInstancesTest {
  private static final long CLAIM_IDLE_MS = 4000;
  private static Fleet orphanFleet;
  @RegisterExtension
  static final NotifyHarness harness = NotifyHarness.on(4, 2, new JsonObject()
      .put("notify", new JsonObject().put("claimIdleMs", CLAIM_IDLE_MS))).beforeLaunch(TwoInstancesTest::deadInstance);

  /** Before any instance runs: a channel, and a transition taken by an instance that then died (pending for it). */
  private static void deadInstance(NotifyHarness h) throws Exception {
    var client = Redis.createClient(h.vertx, new RedisOptions().setConnectionString(h.redisUrl)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
    var stream = new TransitionStream(client);
    stream.createGroup().await(10, SECONDS);
    orphanFleet = NotifyHarness.fleet();
    var channel = Channel.parse("orphan", orphanFleet.tenant(), webhook(orphanFleet, "orphan", orphanFleet.tenant()), null);
    new ChannelStore(client).put(new ChannelStore.Stored(channel, List.of(orphanFleet.tenant())), null).await(10, SECONDS);
    h.publish(NotifyHarness.transition(orphanFleet, true, "orphan", "opened", "major"));
    assertThat(stream.read("dead-instance", 10, 100).await(10, SECONDS)).hasSize(1);
  }

  @Test
  @DisplayName("two instances reading the stream notify each transition exactly once per channel")
  void exactlyOnce() throws Exception {
    var fleet = NotifyHarness.fleet();
    put(fleet, "kitchen", fleet.kitchen());
    put(fleet, "all", fleet.tenant());
    int transitions = 40;

    for (int i = 0; i < transitions; i++) {
      harness.publish(NotifyHarness.transition(fleet, i % 2 == 0, "a" + i, "opened", "major"));
    }

    await().atMost(20, SECONDS).until(() -> harness.deliveries(fleet, "all").size() >= transitions
        && harness.deliveries(fleet, "kitchen").size() >= transitions / 2 && harness.pending() == 0);
    var all = new ArrayList<>(harness.receiver.of(path(fleet, "all")));
    var kitchen = new ArrayList<>(harness.receiver.of(path(fleet, "kitchen")));
    assertThat(all).hasSize(transitions);
    assertThat(new HashSet<>(all.stream().map(r -> r.json().getString("id")).toList())).hasSize(transitions);
    assertThat(new HashSet<>(all.stream().map(r -> r.headers().get("x-vigie-delivery")).toList())).hasSize(transitions);
    assertThat(kitchen).hasSize(transitions / 2).extracting(r -> r.json().getString("devEui")).containsOnly(fleet.kitchenProbe());
    assertThat(harness.deliveries(fleet, "all")).hasSize(transitions);
    assertThat(harness.instances).as("both instances took transitions").allSatisfy(i -> assertThat(
        i.meters().find("vigie.notify.transitions").counters().stream().mapToDouble(c -> c.count()).sum()).isPositive());
  }

  @Test
  @DisplayName("a transition left unacknowledged by a dead instance is taken over and notified once")
  void takeOver() throws Exception {
    var orphan = harness.receiver.next(path(orphanFleet, "orphan"));
    assertThat(orphan.json().getString("id")).isEqualTo("orphan");
    await().atMost(CLAIM_IDLE_MS * 3, java.util.concurrent.TimeUnit.MILLISECONDS).until(() -> harness.pending() == 0);
    assertThat(harness.receiver.of(path(orphanFleet, "orphan"))).isEmpty();
  }

  private static void put(Fleet fleet, String id, String nodeId) throws Exception {
    var response = harness.put("/api/v1/notification-channels/" + id, harness.admin(fleet), webhook(fleet, id, nodeId));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
  }

  private static JsonObject webhook(Fleet fleet, String id, String nodeId) {
    return new JsonObject().put("nodeId", nodeId).put("kind", "webhook").put("url", harness.receiver.url(path(fleet, id)))
        .put("secret", "0123456789abcdef-" + id);
  }

  private static String path(Fleet fleet, String id) {
    return "/" + fleet.tenant() + "/" + id;
  }
}
