package io.vigie.realtime;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code /ws} client on a plain blocking socket that reads nothing until asked: the server's pushes fill the
 * TCP buffers, as with a phone on a bad network. (A paused Vert.x client still drains its socket into memory.)
 * It keeps sending pings, so the server does not close it as idle.
 */
final class StalledWebSocketClient implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();

  StalledWebSocketClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setReceiveBufferSize(64 * 1024);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    var key = Base64.getEncoder().encodeToString(new byte[16]);
    out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    var status = new StringBuilder();
    while (!status.toString().endsWith("\r\n\r\n")) status.append((char) in.readByte());
    if (!status.toString().startsWith("HTTP/1.1 101")) throw new IOException("no upgrade: " + status);
    pinger.scheduleAtFixedRate(() -> {
      try {
        send(new JsonObject().put("type", "ping"));
      } catch (IOException e) {
        pinger.shutdown();
      }
    }, 0, 500, TimeUnit.MILLISECONDS);
  }

  /** Sends a text frame (masked, as a client must). */
  synchronized void send(JsonObject frame) throws IOException {
    var payload = frame.encode().getBytes(StandardCharsets.UTF_8);
    var mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    var header = new ByteArrayOutputStream();
    header.write(0x81);
    if (payload.length < 126) {
      header.write(0x80 | payload.length);
    } else {
      header.write(0x80 | 126);
      header.write(payload.length >>> 8);
      header.write(payload.length & 0xff);
    }
    header.write(mask);
    for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
    out.write(header.toByteArray());
    out.write(payload);
    out.flush();
  }

  /** Reads text messages until one matches; returns every message read, in order. */
  java.util.List<JsonObject> readUntil(Predicate<JsonObject> last) throws IOException {
    var messages = new java.util.ArrayList<JsonObject>();
    var message = new ByteArrayOutputStream();
    while (true) {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) length = in.readUnsignedShort();
      else if (length == 127) length = in.readLong();
      var payload = in.readNBytes((int) length);
      int opcode = first & 0x0f;
      if (opcode == 0x8) throw new IOException("closed by the server");
      if (opcode != 0x1 && opcode != 0x0) continue;   // pings (the server's heartbeat) are not messages
      message.write(payload);
      if ((first & 0x80) == 0) continue;
      var json = new JsonObject(message.toString(StandardCharsets.UTF_8));
      message.reset();
      messages.add(json);
      if (last.test(json)) return messages;
    }
  }

  @Override
  public void close() throws IOException {
    pinger.shutdownNow();
    socket.close();
  }
}
