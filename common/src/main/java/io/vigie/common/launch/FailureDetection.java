package io.vigie.common.launch;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vigie.common.Addresses;
import io.vigie.common.config.StageTimeouts;
import io.vigie.common.config.VigieConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How soon a dead cluster member is noticed. Until Hazelcast removes a member, the clustered event bus still sends
 * requests to its consumers, and each such request waits its whole timeout (a connection refused does not fail it):
 * so this delay, plus a stage timeout, is what the death of an instance costs (docs/scale-out.md). Hazelcast's own
 * defaults (a heartbeat every 5 s, a member removed after 60 s of silence) are made for long-lived servers; Vigie's
 * are {@code cluster.heartbeat} 1 s and {@code cluster.memberTimeout} 5 s (environment {@code VIGIE_CLUSTER_HEARTBEAT},
 * {@code VIGIE_CLUSTER_MEMBER_TIMEOUT}; whole seconds). A member killed on a reachable host is usually noticed sooner:
 * its connections are refused, and Hazelcast suspects it after a few refusals.
 */
final class FailureDetection {
  private static final Logger LOG = LoggerFactory.getLogger(FailureDetection.class);
  static final long DEFAULT_HEARTBEAT_MS = 1000;
  static final long DEFAULT_MEMBER_TIMEOUT_MS = 5000;

  private FailureDetection() {}

  static Config apply(Config hz, JsonObject raw) {
    var heartbeat = seconds(raw, "cluster.heartbeat", DEFAULT_HEARTBEAT_MS);
    var timeout = seconds(raw, "cluster.memberTimeout", DEFAULT_MEMBER_TIMEOUT_MS);
    if (timeout <= heartbeat) {
      throw new IllegalArgumentException("cluster.memberTimeout (VIGIE_CLUSTER_MEMBER_TIMEOUT) must be longer than "
          + "cluster.heartbeat (VIGIE_CLUSTER_HEARTBEAT), got " + timeout + "s and " + heartbeat + "s");
    }
    hz.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(heartbeat));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(timeout));
    return hz;
  }

  /**
   * Logs each member that joins or leaves (Hazelcast logs it only at INFO, which Vigie's logging hides) and tells this
   * JVM's pipeline stages when one leaves ({@link Addresses#CLUSTER_MEMBER_LEFT}, local only).
   */
  static void watchMembers(HazelcastClusterManager manager, Vertx vertx) {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("cluster: member {} joined, {} members", event.getMember().getAddress(), event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        LOG.info("cluster: member {} left, {} members", event.getMember().getAddress(), event.getMembers().size());
        vertx.eventBus().publish(Addresses.CLUSTER_MEMBER_LEFT,
            new JsonObject().put("member", event.getMember().getAddress().toString()),
            new DeliveryOptions().setLocalOnly(true));
      }
    });
  }

  private static long seconds(JsonObject raw, String path, long fallbackMs) {
    var value = VigieConfig.valueAt(raw, path);
    var ms = value == null || value.toString().isBlank() ? fallbackMs : StageTimeouts.millis(path, value);
    if (ms < 1000) throw new IllegalArgumentException(path + " must be at least 1s, got " + ms + "ms");
    return Math.round(ms / 1000.0);
  }
}
