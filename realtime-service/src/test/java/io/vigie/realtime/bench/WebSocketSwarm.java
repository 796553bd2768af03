package io.vigie.realtime.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;

/**
 * Many {@code /ws} subscribers for the fan-out benchmark, as cheap as a client can be so that the server gets the
 * cores: plain non-blocking sockets on a few threads (one selector each), the WebSocket frames read in place, and of a
 * push only its {@code "fCnt":} (the sequence number the benchmark gave it). Pings are answered; nothing else is
 * parsed. A client that falls behind reads many pushes per system call, so it does not become the bottleneck first.
 */
final class WebSocketSwarm implements AutoCloseable {
  private static final byte[] REC = ascii("{\"type\":\"rec\"");
  private static final byte[] SNAPSHOT = ascii("{\"type\":\"snapshot\"");
  private static final byte[] DROPPED = ascii("{\"type\":\"err\",\"body\":\"dropped\"");
  private static final byte[] F_CNT = ascii("\"fCnt\":");

  private static final int CONNECTING = 200;

  final CountDownLatch ready;
  private final java.util.concurrent.Semaphore connecting = new java.util.concurrent.Semaphore(CONNECTING);
  final AtomicInteger dropNotices = new AtomicInteger();
  final Map<Integer, AtomicInteger> closes = new ConcurrentHashMap<>();
  private final List<Reader> readers = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * Opens {@code subscribers} connections to {@code /ws?access_token=…}, each registering {@code address}; a push whose
   * sequence is at least {@code from} is timed against {@code sentAt} (System.nanoTime of its publication), up to
   * {@code timed} pushes per subscriber.
   */
  WebSocketSwarm(int port, String token, String address, int subscribers, int threads, int from, IntToLongFunction sentAt,
                 int timed) throws IOException {
    ready = new CountDownLatch(subscribers);
    var request = ascii("GET /ws?access_token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    var register = masked((byte) 0x1, ascii("{\"type\":\"register\",\"address\":\"" + address + "\"}"));
    for (int t = 0; t < threads; t++) {
      var reader = new Reader(from, sentAt, (subscribers + threads - 1) / threads * timed, register);
      readers.add(reader);
      var thread = new Thread(reader, "swarm-" + t);
      thread.setDaemon(true);
      thread.start();
    }
    for (int i = 0; i < subscribers; i++) {
      // at most CONNECTING upgrades at a time, as a fleet of pages reconnects: not 2,000 handshakes in one go
      connecting.acquireUninterruptibly();
      var channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));   // blocking connect, then not
      channel.write(ByteBuffer.wrap(request));
      channel.configureBlocking(false);
      readers.get(i % threads).add(channel);
    }
  }

  /** What went wrong with connections, by message (a refused upgrade, a reset). */
  final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

  /** Pushes timed so far (sequence ≥ from). */
  long received() {
    return readers.stream().mapToLong(reader -> reader.count.get()).sum();
  }

  /** When the last timed push arrived (System.nanoTime). */
  long lastArrival() {
    return readers.stream().mapToLong(reader -> reader.last.get()).max().orElse(0);
  }

  /** The latencies of the timed pushes so far, ns, unsorted. */
  long[] latencies() {
    return readers.stream().flatMapToLong(reader -> java.util.Arrays.stream(reader.latencies, 0, reader.count.get())).toArray();
  }

  /** CPU time of the reading threads, ns. */
  long cpu() {
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    return readers.stream().mapToLong(reader -> reader.threadId == 0 ? 0 : Math.max(0, bean.getThreadCpuTime(reader.threadId))).sum();
  }

  @Override
  public void close() throws IOException {
    running = false;
    for (var reader : readers) reader.selector.wakeup();
  }

  /** One thread, one selector, its share of the connections. */
  private final class Reader implements Runnable {
    final Selector selector = Selector.open();
    final int from;
    final IntToLongFunction sentAt;
    final long[] latencies;
    final AtomicInteger count = new AtomicInteger();
    final AtomicLong last = new AtomicLong();
    volatile long threadId;
    private final byte[] register;
    private final java.util.Queue<SocketChannel> added = new java.util.concurrent.ConcurrentLinkedQueue<>();

    Reader(int from, IntToLongFunction sentAt, int capacity, byte[] register) throws IOException {
      this.from = from;
      this.sentAt = sentAt;
      this.latencies = new long[capacity];
      this.register = register;
    }

    void add(SocketChannel channel) {
      added.add(channel);
      selector.wakeup();
    }

    @Override
    public void run() {
      threadId = Thread.currentThread().getId();
      try (selector) {
        while (running) {
          for (SocketChannel channel; (channel = added.poll()) != null; ) {
            channel.register(selector, SelectionKey.OP_READ, new Connection(register));
          }
          selector.select(100);
          var now = System.nanoTime();
          for (var key : selector.selectedKeys()) read(key, now);
          selector.selectedKeys().clear();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void read(SelectionKey key, long now) {
      var connection = (Connection) key.attachment();
      var channel = (SocketChannel) key.channel();
      try {
        if (channel.read(connection.in) < 0) {
          failures.computeIfAbsent("closed by the server", m -> new AtomicInteger()).incrementAndGet();
          if (!connection.upgraded) connecting.release();
          key.cancel();
          channel.close();
          return;
        }
        connection.in.flip();
        if (!connection.upgraded && !connection.upgrade(channel)) {
          connection.in.compact();
          return;
        }
        frames(connection, channel, now);
        if (!connection.in.hasRemaining()) connection.grow();   // a frame larger than the buffer: room for it whole
      } catch (IOException e) {
        failures.computeIfAbsent(String.valueOf(e.getMessage()), m -> new AtomicInteger()).incrementAndGet();
        if (!connection.upgraded) connecting.release();
        key.cancel();
      }
    }

    /** Handles every whole frame in the buffer, keeps the rest for the next read. */
    private void frames(Connection connection, SocketChannel channel, long now) throws IOException {
      var in = connection.in;
      while (in.remaining() >= 2) {
        int start = in.position();
        int opcode = in.get(start) & 0x0F;
        int length = in.get(start + 1) & 0x7F;
        int header = 2;
        if (length == 126) {
          if (in.remaining() < 4) break;
          length = in.getShort(start + 2) & 0xFFFF;
          header = 4;
        } else if (length == 127) {
          if (in.remaining() < 10) break;
          length = (int) in.getLong(start + 2);
          header = 10;
        }
        if (in.remaining() < header + length) break;
        int payload = start + header;
        if (opcode == 0x1) {
          text(in, payload, length, now);
        } else if (opcode == 0x9) {
          channel.write(ByteBuffer.wrap(masked((byte) 0xA, new byte[0])));  // pong: the server's idleness check
        } else if (opcode == 0x8) {
          closes.computeIfAbsent(length >= 2 ? in.getShort(payload) & 0xFFFF : 1005, c -> new AtomicInteger()).incrementAndGet();
        }
        in.position(payload + length);
      }
      in.compact();
    }

    private void text(ByteBuffer in, int at, int length, long now) {
      if (matches(in, at, length, REC, 0)) {
        int sequence = sequence(in, at, length);
        if (sequence < from) return;
        int i = count.get();
        if (i < latencies.length) {
          latencies[i] = now - sentAt.applyAsLong(sequence);
          count.lazySet(i + 1);
          last.lazySet(now);
        }
      } else if (matches(in, at, length, SNAPSHOT, 0)) {
        ready.countDown();
      } else if (matches(in, at, length, DROPPED, 0)) {
        dropNotices.incrementAndGet();
      }
    }

    /** Where {@code "fCnt":} was in the last push: pushes share a layout, so it is searched for once. */
    private int fCntAt = -1;

    private int sequence(ByteBuffer in, int at, int length) {
      if (fCntAt < 0 || !matches(in, at, length, F_CNT, fCntAt)) {
        fCntAt = 0;
        while (fCntAt < length && !matches(in, at, length, F_CNT, fCntAt)) fCntAt++;
      }
      int value = 0;
      for (int i = at + fCntAt + F_CNT.length; i < at + length; i++) {
        byte b = in.get(i);
        if (b < '0' || b > '9') break;
        value = value * 10 + (b - '0');
      }
      return value;
    }
  }

  /** One connection: its read buffer (frames are parsed in place), and whether its upgrade was answered. */
  private final class Connection {
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    boolean upgraded;
    private final byte[] register;

    Connection(byte[] register) {
      this.register = register;
    }

    /** Reads the HTTP answer up to its blank line; once it is 101, registers. */
    boolean upgrade(SocketChannel channel) throws IOException {
      for (int i = in.position(); i + 3 < in.limit(); i++) {
        if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
          var status = StandardCharsets.US_ASCII.decode(in.slice(in.position(), 12)).toString();
          if (!status.startsWith("HTTP/1.1 101")) throw new IOException("no upgrade: " + status);
          in.position(i + 4);
          upgraded = true;
          connecting.release();
          channel.write(ByteBuffer.wrap(register));
          return true;
        }
      }
      return false;
    }

    void grow() {
      var bigger = ByteBuffer.allocate(in.capacity() * 4);
      in.flip();
      bigger.put(in);
      in = bigger;
    }
  }

  private static boolean matches(ByteBuffer in, int at, int length, byte[] wanted, int offset) {
    if (offset + wanted.length > length) return false;
    for (int j = 0; j < wanted.length; j++) {
      if (in.get(at + offset + j) != wanted[j]) return false;
    }
    return true;
  }

  /** A client frame: masked, as the protocol requires (with a zero key, which leaves the payload as it is). */
  private static byte[] masked(byte opcode, byte[] payload) {
    if (payload.length >= 126) throw new IllegalArgumentException("client frames here are small");
    var frame = new byte[6 + payload.length];
    frame[0] = (byte) (0x80 | opcode);
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(payload, 0, frame, 6, payload.length);
    return frame;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
