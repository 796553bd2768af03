package io.vigie.gateway.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vigie.common.http.ApiException;
import io.vigie.common.message.Ack;
import io.vigie.common.message.Uplink;
import io.vigie.common.message.UplinkFate;
import io.vigie.common.redis.RedisScript;
import io.vigie.gateway.adapter.SemtechUdp;
import io.vigie.gateway.config.IngestLogSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The ingest log on Redis Streams: {@code P} partitions, each a stream of uplink JSON (field {@code u}) with its
 * keys under one hash tag ({@code vigie:ingest:{p<n>}:log}, {@code :seen}, {@code :meta}, {@code :lease}); the
 * fates of processed uplinks in {@code vigie:uplinks:{<devEui>}}.
 *
 * <p>A device's partition is the CRC32 of its DevEUI modulo {@code P} (of its DevAddr for a raw Semtech frame, whose
 * DevEUI the decoder confirms). Appending is one script call per partition for many uplinks, coalesced by
 * {@link AppendBatcher}: bounds, idempotency per (device, counter), {@code XADD}, byte accounting. Entries leave the
 * log only when their batch is finished ({@link #complete}). Scripts through common's {@link RedisScript}.
 */
public final class IngestLog {
  /** The newest entries of each partition searched for a device's pending uplinks. */
  static final int PENDING_SCAN = 10_000;
  private static final String FIELD = "u";

  /**
   * KEYS: log, meta, lease. ARGV: owner, the id of the batch's last entry, the batch's entries, their bytes. Removes
   * the batch (the head of the stream up to that id: {@code XTRIM MINID} and {@code XDEL} of the last) and releases
   * its bytes, only while {@code owner} holds the lease (else -1: the new holder processes them again); answers the
   * bytes released.
   */
  private static final String COMPLETE = """
      if redis.call('GET', KEYS[3]) ~= ARGV[1] then return -1 end
      local removed = redis.call('XTRIM', KEYS[1], 'MINID', ARGV[2]) + redis.call('XDEL', KEYS[1], ARGV[2])
      local count, released = tonumber(ARGV[3]), tonumber(ARGV[4])
      if removed ~= count then released = math.floor(released * removed / count) end
      if released > 0 then redis.call('HINCRBY', KEYS[2], 'bytes', -released) end
      return released
      """;

  /** KEYS: lease. ARGV: owner, ms. Extends the lease when {@code owner} holds it: 1, else 0. */
  private static final String RENEW = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      return 0
      """;

  /** KEYS: lease. ARGV: owner. Deletes the lease when {@code owner} holds it. */
  private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

  /**
   * One entry of a partition's stream: its uplink, and the JSON it was read from (what goes on the bus as it is). An
   * entry that cannot be read (a bug wrote it: the adapters validate what they append) has no uplink nor JSON:
   * {@code unreadable} says why and {@code raw} holds its bytes, which {@link #complete} moves to the partition's
   * dead letters ({@value #DEAD_LETTERS_KEPT} kept) instead of letting it block the partition for ever.
   */
  public record Entry(String id, Uplink uplink, int bytes, JsonObject json, String unreadable, byte[] raw) {
    public Entry(String id, Uplink uplink, int bytes, JsonObject json) {
      this(id, uplink, bytes, json, null, null);
    }

    public boolean readable() {
      return unreadable == null;
    }
  }

  /** Dead letters kept per partition ({@code vigie:ingest:{p<n>}:dead}, a stream), the newest. */
  public static final int DEAD_LETTERS_KEPT = 10_000;

  private final Redis redis;
  private final IngestLogSettings settings;
  private final RedisScript completeScript, renewScript, releaseScript;
  private final AppendBatcher appends;

  public IngestLog(Vertx vertx, Redis redis, IngestLogSettings settings) {
    this.redis = redis;
    this.settings = settings;
    completeScript = new RedisScript(redis, "ingest-complete", COMPLETE);
    renewScript = new RedisScript(redis, "ingest-renew", RENEW);
    releaseScript = new RedisScript(redis, "ingest-release", RELEASE);
    appends = new AppendBatcher(vertx, redis, settings);
  }

  public Redis redis() {
    return redis;
  }

  public IngestLogSettings settings() {
    return settings;
  }

  /** The client options the log's answers are read with (RESP2: stream reads as plain arrays). */
  public static RedisOptions options() {
    return new RedisOptions().setPreferredProtocolVersion(ProtocolVersion.RESP2);
  }

  /** {@link #options()} for one Redis at {@code url}. */
  public static RedisOptions options(String url) {
    return options().setConnectionString(url);
  }

  /** Loads the scripts (they are loaded again if Redis forgets them). */
  public Future<Void> load() {
    return Future.all(List.of(appends.script().load(), completeScript.load(), renewScript.load(), releaseScript.load()))
        .mapEmpty();
  }

  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  // ---------------------------------------------------------------- appending

  /**
   * Appends an uplink: its id and {@code duplicate} false once appended, {@code duplicate} true when its counter was
   * appended before (no second entry). Fails with a {@link LogFull} 503 when the partition is at its bound, with a
   * 503 when Redis cannot be reached. Uplinks appended one after the other reach the log in that order.
   */
  public Future<Ack> append(Uplink uplink) {
    var device = deviceKey(uplink);
    return appends.append(new AppendBatcher.Pending(partition(device), device, uplink.fCnt(), isRaw(uplink),
        uplink.encode(), uplink.id(), Promise.promise()));
  }

  /** The partition of a device key (a DevEUI, or the DevAddr of a raw frame). */
  public int partition(String deviceKey) {
    var crc = new CRC32();
    crc.update(deviceKey.getBytes(StandardCharsets.US_ASCII));
    return (int) (crc.getValue() % settings.partitions());
  }

  /** The DevEUI, or for a raw Semtech frame (16-bit counter, DevEUI confirmed by the decoder) its DevAddr. */
  public static String deviceKey(Uplink uplink) {
    return isRaw(uplink) && uplink.devAddr() != null ? uplink.devAddr() : uplink.devEui();
  }

  private static boolean isRaw(Uplink uplink) {
    return SemtechUdp.SOURCE.equals(uplink.source());
  }

  static String key(int partition, String what) {
    return "vigie:ingest:{p" + partition + "}:" + what;
  }

  static String fatesKey(String devEui) {
    return "vigie:uplinks:{" + devEui + "}";
  }

  // ---------------------------------------------------------------- consuming

  /** Reads up to {@code count} entries from the head, blocking up to {@code blockMs} when there are none. */
  public Request readHead(int partition, int count, long blockMs) {
    return Request.cmd(Command.XREAD).arg("COUNT").arg(count).arg("BLOCK").arg(blockMs).arg("STREAMS")
        .arg(key(partition, "log")).arg("0-0");
  }

  /**
   * When an entry was appended, in epoch milliseconds: the time part of its id, which {@code XADD *} takes from the
   * Redis server's clock.
   */
  public static long appendedAt(String entryId) {
    var dash = entryId.indexOf('-');
    return Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash));
  }

  /** The entries of an {@code XREAD} answer of one stream (none on a timeout). */
  public static List<Entry> entriesOfRead(Response read) {
    if (read == null || read.size() == 0) return List.of();
    return entries(read.get(0).get(1));
  }

  private static List<Entry> entries(Response range) {
    var out = new ArrayList<Entry>(range == null ? 0 : range.size());
    if (range == null) return out;
    for (var item : range) {
      var fields = item.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if (FIELD.equals(fields.get(i).toString())) {
          var value = fields.get(i + 1).toBytes();
          try {
            var json = new JsonObject(Buffer.buffer(value));
            out.add(new Entry(item.get(0).toString(), Uplink.fromJson(json), value.length, json));
          } catch (RuntimeException e) {
            var why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            out.add(new Entry(item.get(0).toString(), null, value.length, null,
                why.length() > 300 ? why.substring(0, 300) + "…" : why, value));
          }
        }
      }
    }
    return out;
  }

  /** Tries to take a partition's lease; true when taken. */
  public Future<Boolean> acquire(int partition, String owner) {
    return redis.send(Request.cmd(Command.SET).arg(key(partition, "lease")).arg(owner).arg("NX").arg("PX").arg(settings.leaseMs()))
        .map(answer -> answer != null && "OK".equals(answer.toString()));
  }

  /** Extends a lease {@code owner} holds; false when it holds it no more. */
  public Future<Boolean> renew(int partition, String owner) {
    return renewScript.call(List.of(key(partition, "lease")), List.of(owner, Long.toString(settings.leaseMs())))
        .map(answer -> answer.toInteger() == 1);
  }

  public Future<Void> release(int partition, String owner) {
    return releaseScript.call(List.of(key(partition, "lease")), List.of(owner)).mapEmpty();
  }

  /**
   * One pipelined round trip once a batch (the head of the partition's stream, in order) is answered: removes its
   * entries and releases their bytes (one script call, only while {@code owner} holds the lease) and records the fates
   * (per device one {@code LPUSH} of its fates in the batch and one {@code LTRIM}). Answers false when the lease was
   * lost meanwhile.
   */
  public Future<Boolean> complete(int partition, String owner, List<Entry> entries, List<UplinkFate> fates) {
    long bytes = 0;
    for (var entry : entries) bytes += entry.bytes();
    var call = new RedisScript.Call(List.of(key(partition, "log"), key(partition, "meta"), key(partition, "lease")),
        List.of(owner, entries.get(entries.size() - 1).id(), Integer.toString(entries.size()), Long.toString(bytes)));
    var byDevice = new LinkedHashMap<String, Request>();
    for (var fate : fates) {
      byDevice.computeIfAbsent(fatesKey(fate.devEui()), key -> Request.cmd(Command.LPUSH).arg(key)).arg(fate.toJson().encode());
    }
    var commands = new ArrayList<Request>(2 * byDevice.size() + 1);
    for (var entry : entries) {
      if (entry.readable()) continue;
      commands.add(Request.cmd(Command.XADD).arg(key(partition, "dead")).arg("MAXLEN").arg("~").arg(DEAD_LETTERS_KEPT)
          .arg("*").arg("id").arg(entry.id()).arg("reason").arg(entry.unreadable()).arg(FIELD).arg(Buffer.buffer(entry.raw())));
    }
    byDevice.forEach((key, push) -> {
      commands.add(push);
      commands.add(Request.cmd(Command.LTRIM).arg(key).arg(0).arg(settings.fateHistory() - 1));
    });
    return completeScript.callThen(call, commands).map(answer -> answer.toLong() >= 0);
  }

  /**
   * Records the fate of an uplink that never entered the log (its counter was appended before: a re-delivery, or a
   * replayed raw frame), among the device's fates.
   */
  public Future<Void> record(UplinkFate fate) {
    return redis.batch(recording(fate)).mapEmpty();
  }

  /** The device's fates: this one pushed first, the last {@code ingest.fateHistory} kept. */
  private List<Request> recording(UplinkFate fate) {
    var key = fatesKey(fate.devEui());
    return List.of(Request.cmd(Command.LPUSH).arg(key).arg(fate.toJson().encode()),
        Request.cmd(Command.LTRIM).arg(key).arg(0).arg(settings.fateHistory() - 1));
  }

  // ---------------------------------------------------------------- reading for the API

  /**
   * The device's uplinks still in the log, newest first, among the newest {@value #PENDING_SCAN} entries of every
   * partition (every one: a raw frame sits in its DevAddr's).
   */
  public Future<List<UplinkFate>> pending(String devEui, int limit) {
    var reads = new ArrayList<Future<Response>>();
    for (int p = 0; p < settings.partitions(); p++) {
      reads.add(redis.send(Request.cmd(Command.XREVRANGE).arg(key(p, "log")).arg("+").arg("-").arg("COUNT").arg(Math.min(settings.maxEntries(), PENDING_SCAN))));
    }
    return Future.all(reads).map(all -> {
      var found = new ArrayList<Entry>();
      for (int p = 0; p < reads.size(); p++) {
        Response range = all.resultAt(p);
        for (var entry : entries(range)) {
          if (entry.readable() && entry.uplink().devEui().equals(devEui)) found.add(entry);
        }
      }
      found.sort((a, b) -> compareIds(b.id(), a.id()));
      return found.stream().limit(limit).map(e -> UplinkFate.of(e.uplink(), io.vigie.common.message.UplinkStatus.PENDING, null)).toList();
    });
  }

  /** The recorded fates of a device, newest first. */
  public Future<List<UplinkFate>> fates(String devEui, int limit) {
    return redis.send(Request.cmd(Command.LRANGE).arg(fatesKey(devEui)).arg(0).arg(limit - 1))
        .map(list -> {
          var out = new ArrayList<UplinkFate>();
          if (list != null) list.forEach(item -> out.add(UplinkFate.fromJson(new JsonObject(item.toString()))));
          return out;
        });
  }

  /** Stream ids {@code <ms>-<seq>}, in time order (across partitions, to the millisecond). */
  private static int compareIds(String a, String b) {
    var as = a.split("-");
    var bs = b.split("-");
    var byTime = Long.compare(Long.parseLong(as[0]), Long.parseLong(bs[0]));
    return byTime != 0 ? byTime : Long.compare(Long.parseLong(as[1]), Long.parseLong(bs[1]));
  }

  /** The partition is at its bound: 503 and Retry-After upstream, never a silent drop. */
  public static final class LogFull extends ApiException {
    LogFull(int partition, String bound) {
      super(503, "unavailable", "the ingest log is full (partition " + partition + " reached ingest."
          + ("bytes".equals(bound) ? "maxBytes" : "maxEntries") + "); retry later");
    }
  }
}
