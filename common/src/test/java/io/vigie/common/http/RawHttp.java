package io.vigie.common.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A plain {@link Socket} to an HTTP port, for the clients no library would be: one that dribbles its request a byte
 * at a time, sends 20 kB of headers, or connects and says nothing. What the server answers is read on a thread of its
 * own until the server closes: {@link #closed()} completes then, with everything it sent.
 */
public final class RawHttp implements AutoCloseable {
  private static final ScheduledExecutorService DRIBBLER = Executors.newScheduledThreadPool(2, runnable -> {
    var thread = new Thread(runnable, "raw-http-dribbler");
    thread.setDaemon(true);
    return thread;
  });

  private final Socket socket;
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final StringBuffer received = new StringBuffer();

  public RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    var reader = new Thread(this::read, "raw-http-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (InputStream in = socket.getInputStream()) {
      var buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      // reset by the server: closed as well
    }
    closed.complete(received.toString());
  }

  /** Sends {@code text} at once. */
  public RawHttp send(String text) {
    try {
      var out = socket.getOutputStream();
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code text} one byte every {@code periodMs}, looping, until the server closes (slowloris). */
  public RawHttp dribble(String text, long periodMs) {
    var next = new int[1];
    var task = DRIBBLER.scheduleAtFixedRate(() -> {
      try {
        var out = socket.getOutputStream();
        out.write(text.charAt(next[0]++ % text.length()));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);  // ends the task: the server closed
      }
    }, 0, periodMs, TimeUnit.MILLISECONDS);
    closed.whenComplete((text_, failure) -> task.cancel(false));
    return this;
  }

  /** Completes when the server has closed the connection, with what it sent. */
  public CompletableFuture<String> closed() {
    return closed;
  }

  /** The server's status line once it came (null before). */
  public String statusLine() {
    var text = received.toString();
    var end = text.indexOf("\r\n");
    return end < 0 ? null : text.substring(0, end);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
