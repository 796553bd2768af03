package io.vigie.realtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A frame encoded once for every /ws socket")
class OutgoingTest {

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {2, 125, 126, 65_535, 65_536, 65_537, 200_000})
  @DisplayName("reads back through Netty's own WebSocket decoder as the same text, split in frames of at most 64 KiB, and every socket gets its own whole copy")
  void decodesAsTheSameText(int length) {
    var text = "x".repeat(length - 1) + "é".substring(0, 1);   // a multi-byte character at the end
    var frame = new Outgoing(Buffer.buffer(text));

    for (int socket = 0; socket < 2; socket++) {
      var frames = decode(frame.webSocket());
      assertThat(frames.get(0)).isInstanceOf(TextWebSocketFrame.class);
      assertThat(frames.subList(1, frames.size())).allMatch(ContinuationWebSocketFrame.class::isInstance);
      assertThat(frames).allMatch(f -> f.content().readableBytes() <= LiveTransport.MAX_FRAME);
      assertThat(frames.get(frames.size() - 1).isFinalFragment()).isTrue();
      assertThat(frames.subList(0, frames.size() - 1)).noneMatch(WebSocketFrame::isFinalFragment);
      var read = Unpooled.buffer();   // a character may straddle two frames: the text is the bytes of all of them
      frames.forEach(f -> read.writeBytes(f.content()));
      assertThat(read.toString(StandardCharsets.UTF_8).equals(text)).as("the same text, %d bytes", length).isTrue();
      frames.forEach(WebSocketFrame::release);
    }
  }

  /** The frames a client reads (unmasked, as a server sends them). */
  private static List<WebSocketFrame> decode(ByteBuf bytes) {
    var client = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
    client.writeInbound(bytes);
    var frames = new ArrayList<WebSocketFrame>();
    for (WebSocketFrame frame; (frame = client.readInbound()) != null; ) frames.add(frame);
    client.finishAndReleaseAll();
    return frames;
  }
}
