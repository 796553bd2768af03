package io.vigie.alert.notify;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vigie.alert.notify.store.TransitionStream;
import io.vigie.embedded.EmbeddedRedis;
import io.vigie.testing.RealRedis;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@RealRedis
@DisplayName("The transitions stream")
class TransitionStreamTest {

  @Test
  @DisplayName("forgets the consumers of gone instances that have nothing pending, and keeps the others")
  void forgetsGoneConsumers(EmbeddedRedis server) throws Exception {
    var vertx = Vertx.vertx();
    try {
      var redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url() + "/5")
          .setPreferredProtocolVersion(ProtocolVersion.RESP2));
      var stream = new TransitionStream(redis);
      stream.createGroup().await(10, SECONDS);
      stream.createGroup().await(10, SECONDS); // a second instance starting: the group is there already
      redis.send(Request.cmd(Command.XADD).arg(TransitionStream.KEY).arg("*").arg("alert").arg("{}")).await(10, SECONDS);
      assertThat(stream.read("busy", 10, 100).await(10, SECONDS)).hasSize(1);
      for (var name : new String[] {"gone", "self"}) {
        redis.send(Request.cmd(Command.XGROUP).arg("CREATECONSUMER").arg(TransitionStream.KEY).arg(TransitionStream.GROUP)
            .arg(name)).await(10, SECONDS);
      }

      var removed = stream.forgetIdleConsumers("self", 0).await(10, SECONDS);

      assertThat(removed).isEqualTo(1);
      var left = redis.send(Request.cmd(Command.XINFO).arg("CONSUMERS").arg(TransitionStream.KEY).arg(TransitionStream.GROUP))
          .await(10, SECONDS).stream().map(consumer -> consumer.isMap() ? consumer.get("name").toString() : consumer.get(1).toString())
          .toList();
      assertThat(left).as("the one with a pending entry, and the caller").containsExactlyInAnyOrder("busy", "self");
    } finally {
      vertx.close().await(10, SECONDS);
    }
  }
}
