package io.vigie.simulator.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vigie.simulator.Frame;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The Semtech UDP sender")
class SemtechUdpSenderTest {

  /** A packet-forwarder endpoint: records PUSH_DATA gateway EUIs, answers PUSH_ACK unless told to be silent. */
  static DatagramSocket endpoint(Vertx vertx, List<String> pushedBy, boolean ack) throws Exception {
    var socket = vertx.createDatagramSocket();
    socket.handler(packet -> {
      var data = packet.data();
      if (data.getUnsignedByte(3) != SemtechPackets.PUSH_DATA) return;
      pushedBy.add(HexFormat.of().formatHex(data.getBytes(4, 12)));
      if (ack) {
        socket.send(Buffer.buffer().appendBytes(data.getBytes(0, 3)).appendUnsignedByte((short) SemtechPackets.PUSH_ACK),
            packet.sender().port(), packet.sender().host());
      }
    });
    return socket.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("sends one PUSH_DATA per gateway that heard the frame, each from its own socket, and is acked once every copy is")
  void everyGateway(Vertx vertx, VertxTestContext test) throws Exception {
    var pushedBy = new CopyOnWriteArrayList<String>();
    var endpoint = endpoint(vertx, pushedBy, true);
    var sender = new SemtechUdpSender(vertx, "127.0.0.1", endpoint.localAddress().port());
    var frame = UplinkBodiesTest.probe(1).nextFrame(Instant.now(), UplinkBodiesTest.TWO);
    sender.start().compose(v -> sender.send(frame)).compose(outcome -> sender.close().map(outcome))
        .onComplete(test.succeeding(outcome -> test.verify(() -> {
          assertThat(outcome.kind()).isEqualTo(Outcome.Kind.ACKED);
          assertThat(outcome.endToEnd()).as("a PUSH_ACK is not a storage ack").isFalse();
          assertThat(pushedBy).containsExactlyInAnyOrder("b827ebfffe000001", "b827ebfffe000002");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("without a PUSH_ACK in time the outcome is a failure naming the endpoint")
  void noAck(Vertx vertx, VertxTestContext test) throws Exception {
    var endpoint = endpoint(vertx, new CopyOnWriteArrayList<>(), false);
    var port = endpoint.localAddress().port();
    var sender = new SemtechUdpSender(vertx, "127.0.0.1", port, 300);
    var frame = UplinkBodiesTest.probe(1).nextFrame(Instant.now(), List.of(new Frame.Reception("b827ebfffe000009", -80, 5)));
    sender.start().compose(v -> sender.send(frame)).compose(outcome -> sender.close().map(outcome))
        .onComplete(test.succeeding(outcome -> test.verify(() -> {
          assertThat(outcome.kind()).isEqualTo(Outcome.Kind.FAILED);
          assertThat(outcome.detail()).contains("no PUSH_ACK from 127.0.0.1:" + port);
          test.completeNow();
        })));
  }
}
