package io.vigie.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Redis client speaking RESP over a plain socket: enough to check that a real server answers.
 * Replies: simple strings and bulk strings as {@link String}, integers as {@link Long}, arrays as {@link List}, nil as
 * {@code null}; an error reply throws {@link IOException}.
 */
final class RespClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  public RespClient(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    socket.setSoTimeout(5000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** How long a command waits for its answer (5 s unless changed). */
  public void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  public Object command(String... arguments) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + arguments.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String argument : arguments) {
      byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      request.writeBytes(bytes);
      request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(request.toByteArray());
    out.flush();
    return reply();
  }

  private Object reply() throws IOException {
    int type = in.read();
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("Redis error: " + line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        line(); // CRLF
        return new String(bytes, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(reply());
        }
        return items;
      }
      case -1:
        throw new IOException("Connection closed by Redis");
      default:
        throw new IOException("Unexpected RESP reply type '" + (char) type + "'");
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read(); // \n
        break;
      }
      bytes.write(c);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
