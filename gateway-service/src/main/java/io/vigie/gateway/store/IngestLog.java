package io.vigie.gateway.store;

import io.vertx.core.Future;
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
import io.vigie.gateway.adapter.SemtechUdp;
import io.vigie.gateway.config.IngestLogSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The ingest log on Redis Streams: {@code P} partitions, each a stream of uplink JSON (field {@code u}) with its
 * keys under one hash tag ({@code vigie:ingest:{p<n>}:log}, {@code :seen}, {@code :meta}, {@code :lease}); the
 * fates of processed uplinks in {@code vigie:uplinks:{<devEui>}}.
 *
 * <p>A device's partition is the CRC32 of its DevEUI modulo {@code P} (of its DevAddr for a raw Semtech frame, whose
 * DevEUI the decoder confirms). Appending is one script: bounds, idempotency per (device, counter), {@code XADD},
 * byte accounting. Entries leave the log only when their batch is finished ({@link #complete}).
 */
public record IngestLog(Redis redis, IngestLogSettings settings) {
  /** Counters below the highest appended one that the append script remembers, per device. */
  static final int WINDOW = 64;
  /** The newest entries of each partition searched for a device's pending uplinks. */
  static final int PENDING_SCAN = 10_000;
  private static final String FIELD = "u";

  /**
   * KEYS: log, seen, meta. ARGV: device key, counter, modulus (0: none; 65536 for a 16-bit wire counter), window,
   * max entries, max bytes, uplink JSON. Answers {1, id} appended, {2, ''} duplicate, {0, 'entries'|'bytes'} full.
   * The seen hash keeps per device {@code <highest>:<window>}, the window a string of '0'/'1', position i standing
   * for the counter highest - i.
   */
  static final LuaScript APPEND = new LuaScript("""
      local c, m, W = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
      local state = redis.call('HGET', KEYS[2], ARGV[1])
      local high, win, ahead, behind = nil, nil, 0, 0
      if state then
        local sep = string.find(state, ':', 1, true)
        high, win = tonumber(string.sub(state, 1, sep - 1)), string.sub(state, sep + 1)
        local d = c - high
        if m > 0 then
          d = d % m
          if d >= m / 2 then d = d - m end
        end
        if d == 0 then return {2, ''} end
        if d > 0 then ahead = d else behind = -d end
        if behind > 0 and behind <= W and string.sub(win, behind, behind) == '1' then return {2, ''} end
      end
      if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[5]) then return {0, 'entries'} end
      local size = string.len(ARGV[7])
      local bytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')
      if bytes + size > tonumber(ARGV[6]) then return {0, 'bytes'} end
      if not high then
        high, win = c, string.rep('0', W)
      elseif ahead > 0 then
        if ahead > W then win = string.rep('0', W) else win = string.sub(string.rep('0', ahead - 1) .. '1' .. win, 1, W) end
        high = c
      elseif behind <= W then
        win = string.sub(win, 1, behind - 1) .. '1' .. string.sub(win, behind + 1)
      end
      redis.call('HSET', KEYS[2], ARGV[1], string.format('%d', high) .. ':' .. win)
      local id = redis.call('XADD', KEYS[1], '*', 'u', ARGV[7])
      redis.call('HINCRBY', KEYS[3], 'bytes', size)
      return {1, id}
      """);

  /**
   * KEYS: log, meta, lease. ARGV: owner, then entry id / size pairs. Removes the entries and releases their bytes,
   * only while {@code owner} holds the lease (else -1: the new holder processes them again); answers the bytes released.
   */
  static final LuaScript COMPLETE = new LuaScript("""
      if redis.call('GET', KEYS[3]) ~= ARGV[1] then return -1 end
      local released = 0
      for i = 2, #ARGV, 2 do
        if redis.call('XDEL', KEYS[1], ARGV[i]) == 1 then released = released + tonumber(ARGV[i + 1]) end
      end
      if released > 0 then redis.call('HINCRBY', KEYS[2], 'bytes', -released) end
      return released
      """);

  /** KEYS: lease. ARGV: owner, ms. Extends the lease when {@code owner} holds it: 1, else 0. */
  static final LuaScript RENEW = new LuaScript("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      return 0
      """);

  /** KEYS: lease. ARGV: owner. Deletes the lease when {@code owner} holds it. */
  static final LuaScript RELEASE = new LuaScript("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """);

  /** One entry of a partition's stream. */
  public record Entry(String id, Uplink uplink, int bytes) {}

  /** The client options the log's answers are read with (RESP2: stream reads as plain arrays). */
  public static RedisOptions options(String url) {
    return new RedisOptions().setConnectionString(url).setPreferredProtocolVersion(ProtocolVersion.RESP2);
  }

  /** Loads the scripts (they are sent again in full if Redis forgets them). */
  public Future<Void> load() {
    return Future.all(List.of(APPEND.load(redis), COMPLETE.load(redis), RENEW.load(redis), RELEASE.load(redis))).mapEmpty();
  }

  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  // ---------------------------------------------------------------- appending

  /**
   * Appends an uplink: its id and {@code duplicate} false once appended, {@code duplicate} true when its counter was
   * appended before (no second entry). Fails with a {@link LogFull} 503 when the partition is at its bound, with a
   * 503 when Redis cannot be reached.
   */
  public Future<Ack> append(Uplink uplink) {
    var raw = isRaw(uplink);
    var device = deviceKey(uplink);
    var partition = partition(device);
    var json = uplink.toJson().encode();
    return APPEND.run(redis, List.of(key(partition, "log"), key(partition, "seen"), key(partition, "meta")),
            List.of(device, Long.toString(uplink.fCnt()), raw ? "65536" : "0", Integer.toString(WINDOW),
                Integer.toString(settings.maxEntries()), Long.toString(settings.maxBytes()), json))
        .recover(e -> Future.failedFuture(ApiException.unavailable("the ingest log (Redis) cannot be reached: " + e.getMessage())))
        .compose(answer -> switch (answer.get(0).toInteger()) {
          case 1 -> Future.succeededFuture(new Ack(uplink.id(), false));
          case 2 -> Future.succeededFuture(new Ack(uplink.id(), true));
          default -> Future.failedFuture(new LogFull(partition, answer.get(1).toString()));
        });
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
          out.add(new Entry(item.get(0).toString(),
              Uplink.fromJson(new JsonObject(new String(value, StandardCharsets.UTF_8))), value.length));
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
    return RENEW.run(redis, List.of(key(partition, "lease")), List.of(owner, Long.toString(settings.leaseMs())))
        .map(answer -> answer.toInteger() == 1);
  }

  public Future<Void> release(int partition, String owner) {
    return RELEASE.run(redis, List.of(key(partition, "lease")), List.of(owner)).mapEmpty();
  }

  /**
   * One pipelined round trip once a batch is answered: removes its entries and releases their bytes (only while
   * {@code owner} holds the lease) and records every fate. Answers false when the lease was lost meanwhile.
   */
  public Future<Boolean> complete(int partition, String owner, List<Entry> entries, List<UplinkFate> fates) {
    var args = new ArrayList<String>(1 + 2 * entries.size());
    args.add(owner);
    for (var entry : entries) {
      args.add(entry.id());
      args.add(Integer.toString(entry.bytes()));
    }
    var keys = List.of(key(partition, "log"), key(partition, "meta"), key(partition, "lease"));
    var requests = new ArrayList<Request>();
    requests.add(COMPLETE.request(keys, args));
    fates.forEach(fate -> requests.addAll(recording(fate)));
    return redis.batch(requests)
        .map(answers -> answers.get(0).toLong() >= 0)
        // the fates were recorded by the pipeline; only the removal needs the script sent in full
        .recover(e -> LuaScript.isNoScript(e) ? COMPLETE.run(redis, keys, args).map(answer -> answer.toLong() >= 0)
            : Future.failedFuture(e));
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
          if (entry.uplink().devEui().equals(devEui)) found.add(entry);
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
