package io.vigie.decoder.codec;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Runs JavaScript payload codecs, the way The Things Stack and ChirpStack do: {@code decodeUplink(input)} returning
 * {@code {data, warnings, errors}}, and, through an automatic wrapper, the legacy {@code Decoder(bytes, port)} (TTN
 * v2) and {@code Decode(fPort, bytes, variables)} (ChirpStack v3).
 *
 * <p>The sandbox (GraalJS, see {@code docs/adr/0003-javascript-codecs-on-graaljs.md}): no host access, no I/O, no
 * threads, no processes, no environment, no {@code load}, {@code Java}, {@code Packages}, {@code Polyglot},
 * {@code require}, {@code fetch} or modules; ES2020. Every call, and the script's top level when a context is made, is
 * bounded in time and in the memory its thread allocates: past either bound the codec's context is cancelled and the
 * call answers an error. Once the top level has run, the built-ins are frozen ({@link #LOCKDOWN}): what one call
 * tampers with ({@code Object.prototype}, {@code JSON.parse}…) is not there for the next. Compiled scripts are shared through one engine; each thread has its own context per script,
 * so concurrent decodes never share mutable JavaScript state. Calls block: run them on worker threads.
 */
public final class JavaScriptCodecs implements AutoCloseable {
  /** What a codec answered: {@code data} and its own warnings and errors, or the reason it failed. */
  public record Result(JsonObject data, List<String> warnings, List<String> errors) {
    public boolean failed() {
      return data == null;
    }

    static Result failure(String error) {
      return new Result(null, List.of(), List.of(error));
    }
  }

  /**
   * Calls the codec; evaluated before the codec's script, it holds the engine's own {@code JSON.parse},
   * {@code JSON.stringify} and {@code Date}, whatever the script does to the globals.
   */
  private static final String WRAPPER = """
      (function (parse, stringify, NativeDate) {
        return function (json) {
          var input = parse(json);
          input.recvTime = new NativeDate(input.recvTime);
          var out;
          if (typeof decodeUplink === 'function') {
            out = decodeUplink(input);
          } else if (typeof Decoder === 'function') {
            out = { data: Decoder(input.bytes, input.fPort) };
          } else if (typeof Decode === 'function') {
            out = { data: Decode(input.fPort, input.bytes, input.variables) };
          } else {
            throw new Error('the script defines none of decodeUplink(input), Decoder(bytes, port), '
                + 'Decode(fPort, bytes, variables)');
          }
          return stringify(out === undefined ? null : out);
        };
      })(JSON.parse, JSON.stringify, Date)
      """;
  /**
   * Freezes the language's built-ins once the script's top level has run (what it defines or polyfills there stays its
   * own): a call that changes {@code Object.prototype}, {@code Array.prototype}, {@code JSON.parse} or rebinds a global
   * built-in changes nothing (an error in strict mode), so no call sees what an earlier one tampered with. Evaluated
   * before the script, it knows the built-ins' names and holds the functions it needs. The properties a codec's own
   * objects commonly set though inherited ({@code toString}, {@code constructor}, an error's {@code name}…) become
   * accessors that define the property on the object assigned to (SES's answer to the "override mistake").
   */
  private static final String LOCKDOWN = """
      (function (global) {
        var names = Object.getOwnPropertyNames(global), freeze = Object.freeze, getProto = Object.getPrototypeOf,
            ownKeys = Reflect.ownKeys, describe = Object.getOwnPropertyDescriptor, define = Object.defineProperty,
            NativeSet = Set, add = Set.prototype.add, has = Set.prototype.has;
        var hidden = [getProto(function* () {}), getProto(async function () {}), getProto(async function* () {}),
            getProto([][Symbol.iterator]()), getProto(''[Symbol.iterator]()), getProto(new Map()[Symbol.iterator]()),
            getProto(new Set()[Symbol.iterator]()), getProto(/a/[Symbol.matchAll]('')), getProto(Uint8Array)];
        var errors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];
        var tamed = [[Object.prototype, ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty',
            'isPrototypeOf', 'propertyIsEnumerable']], [Function.prototype, ['constructor', 'toString']]];
        errors.forEach(function (E) { tamed.push([E.prototype, ['constructor', 'name', 'message', 'toString']]); });
        function tame(object, name) {
          var d = describe(object, name);
          if (!d || !('value' in d) || !d.configurable) return;
          var value = d.value;
          define(object, name, { enumerable: d.enumerable, configurable: false,
            get: function () { return value; },
            set: function (v) {
              if (this === object) throw new TypeError('the built-in ' + name + ' cannot be changed');
              define(this, name, { value: v, writable: true, enumerable: true, configurable: true });
            } });
        }
        return function () {
          tamed.forEach(function (entry) { entry[1].forEach(function (name) { tame(entry[0], name); }); });
          var seen = new NativeSet();
          function deepFreeze(value) {
            if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return;
            if (has.call(seen, value)) return;
            add.call(seen, value);
            freeze(value);
            deepFreeze(getProto(value));
            var keys = ownKeys(value);
            for (var i = 0; i < keys.length; i++) {
              var d = describe(value, keys[i]);
              if ('value' in d) deepFreeze(d.value); else { deepFreeze(d.get); deepFreeze(d.set); }
            }
          }
          names.forEach(function (name) {
            var d = describe(global, name);
            if (!d || !('value' in d)) return;
            if (d.value !== global) deepFreeze(d.value);
            if (d.configurable) define(global, name, { value: d.value, writable: false, enumerable: d.enumerable, configurable: false });
            else if (d.writable) define(global, name, { writable: false });
          });
          hidden.forEach(deepFreeze);
        };
      })(globalThis)
      """;
  private static final int MAX_SCRIPTS_PER_THREAD = 64;
  /**
   * The first call in a new context also warms the interpreter up: it gets this much time and this much allocation
   * at least, unless the script has already been stopped once (a looping codec gets its allowance only once).
   */
  static final Duration COLD_TIMEOUT = Duration.ofSeconds(1);
  static final long COLD_ALLOCATION = 512L << 20;

  private final Engine engine;
  private final Duration timeout;
  private final long maxAllocatedBytes;
  private final ScheduledExecutorService watchdog;
  private final Map<String, Source> sources = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<String> stoppedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Script → its digest: the same script string arrives with every uplink of a device type. */
  private final Map<String, String> digests = new java.util.concurrent.ConcurrentHashMap<>();
  private final ThreadLocal<Map<String, Loaded>> contexts = ThreadLocal.withInitial(
      () -> new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
          if (size() <= MAX_SCRIPTS_PER_THREAD) return false;
          eldest.getValue().context.close(true);
          return true;
        }
      });

  /** A script evaluated in one thread's context, with the wrapper that calls it. */
  private static final class Loaded {
    final Context context;
    final Value call;
    boolean cold = true;

    Loaded(Context context, Value call) {
      this.context = context;
      this.call = call;
    }
  }

  /**
   * @param timeout the longest a call may run
   * @param maxAllocatedBytes the most a call may allocate (heap bytes allocated by its thread)
   */
  public JavaScriptCodecs(Duration timeout, long maxAllocatedBytes) {
    this.timeout = timeout;
    this.maxAllocatedBytes = maxAllocatedBytes;
    this.engine = Engine.newBuilder("js")
        .option("engine.WarnInterpreterOnly", "false")
        .build();
    this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
      var thread = new Thread(runnable, "vigie-codec-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    warmUp();
  }

  /**
   * Initialises the JavaScript language once (a second or two in interpreter mode), so that no codec's first call
   * pays for it: the time limits then measure the codec, not the engine's start.
   */
  private void warmUp() {
    var script = "function decodeUplink(input) { return { data: { t: (input.bytes[0] << 8 | input.bytes[1]) / 10 } }; }";
    var key = digest(script);
    var loaded = load(key, script, false);
    loaded.call.execute(new JsonObject().put("bytes", new JsonArray().add(0).add(235)).put("fPort", 1)
        .put("recvTime", Instant.EPOCH.toString()).put("variables", new JsonObject()).encode());
    forget(key);
  }

  /**
   * Decodes one payload. Never throws for anything the script does: a script that does not compile, loops, throws,
   * allocates too much or answers something that is not an object yields a {@link Result#failed() failed} result.
   */
  public Result decode(String script, int fPort, byte[] bytes, Instant recvTime, JsonObject variables) {
    Loaded loaded;
    var key = key(script);
    try {
      loaded = load(key, script, true);
    } catch (Stopped e) {
      stoppedOnce.add(key);
      return Result.failure(e.getMessage());
    } catch (PolyglotException e) {
      return Result.failure((e.isSyntaxError() ? "the script does not compile: " : "the script's top level threw: ")
          + describe(e));
    }
    var input = new JsonObject()
        .put("bytes", toArray(bytes))
        .put("fPort", fPort)
        .put("recvTime", recvTime.toString())
        .put("variables", variables == null ? new JsonObject() : variables);
    var stopped = new AtomicReference<String>();
    var cold = loaded.cold && !stoppedOnce.contains(key);
    loaded.cold = false;
    var guard = guard(loaded.context, Thread.currentThread(), cold ? max(timeout, COLD_TIMEOUT) : timeout,
        cold ? Math.max(maxAllocatedBytes, COLD_ALLOCATION) : maxAllocatedBytes, stopped);
    String answer;
    try {
      var value = loaded.call.execute(input.encode());
      answer = value.isString() ? value.asString() : null;
    } catch (PolyglotException e) {
      if (e.isCancelled() || stopped.get() != null || e.isResourceExhausted()) {
        stoppedOnce.add(key);
        forget(key);
        return Result.failure(stopped.get() != null ? stopped.get() : "the codec ran out of resources");
      }
      if (e.isInternalError() || e.isHostException()) forget(key);
      return Result.failure("the codec threw: " + describe(e));
    } catch (IllegalStateException e) {
      // the watchdog closed the context between two steps
      stoppedOnce.add(key);
      forget(key);
      return Result.failure(stopped.get() != null ? stopped.get() : "the codec was stopped");
    } finally {
      guard.cancel(false);
    }
    return interpret(answer);
  }

  /** The script's context on this thread, made (with {@code bounded}: within a first call's bounds) if need be. */
  private Loaded load(String key, String script, boolean bounded) {
    var threadContexts = contexts.get();
    var loaded = threadContexts.get(key);
    if (loaded != null) return loaded;
    var source = sources.computeIfAbsent(key, k -> Source.newBuilder("js", script, "codec-" + k.substring(0, 12) + ".js")
        .cached(true).buildLiteral());
    var context = Context.newBuilder("js")
        .engine(engine)
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLookup(name -> false)
        .allowHostClassLoading(false)
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowNativeAccess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowExperimentalOptions(true)
        .option("js.ecmascript-version", "2020")
        .option("js.load", "false")
        .option("js.print", "false")
        .option("js.java-package-globals", "false")
        .option("js.graal-builtin", "false")
        .option("js.polyglot-builtin", "false")
        .option("js.console", "false")
        .build();
    // the top level runs once per context, bounded like a first call (a script stopped before: like any call)
    var stopped = new AtomicReference<String>();
    var strict = stoppedOnce.contains(key);
    var guard = !bounded ? null : guard(context, Thread.currentThread(), strict ? timeout : max(timeout, COLD_TIMEOUT),
        strict ? maxAllocatedBytes : Math.max(maxAllocatedBytes, COLD_ALLOCATION), stopped);
    try {
      var call = context.eval("js", WRAPPER);
      var lockdown = context.eval("js", LOCKDOWN);
      context.eval(source);
      lockdown.executeVoid();
      loaded = new Loaded(context, call);
    } catch (PolyglotException | IllegalStateException e) {
      closeQuietly(context);
      if (stopped.get() != null || e instanceof IllegalStateException || ((PolyglotException) e).isCancelled()
          || ((PolyglotException) e).isResourceExhausted()) {
        throw new Stopped(stopped.get() != null ? stopped.get() : "the codec ran out of resources");
      }
      throw e;
    } catch (RuntimeException e) {
      closeQuietly(context);
      throw e;
    } finally {
      if (guard != null) guard.cancel(false);
    }
    threadContexts.put(key, loaded);
    return loaded;
  }

  /** The script's top level was stopped at a bound. */
  private static final class Stopped extends RuntimeException {
    Stopped(String reason) {
      super(reason, null, false, false);
    }
  }

  private static void closeQuietly(Context context) {
    try {
      context.close(true);
    } catch (IllegalStateException | PolyglotException ignored) {
      // already closed by the watchdog
    }
  }

  /** Cancels the context when the call outlives the timeout or its thread allocates past the bound. */
  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private ScheduledFuture<?> guard(Context context, Thread thread, Duration limit, long allocationLimit,
                                   AtomicReference<String> stopped) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var id = thread.getId();
    var allocatedAtStart = threads.getThreadAllocatedBytes(id);
    var deadline = System.nanoTime() + limit.toNanos();
    var period = Math.max(1, Math.min(10, timeout.toMillis() / 10));
    return watchdog.scheduleAtFixedRate(() -> {
      String reason = null;
      if (System.nanoTime() - deadline > 0) {
        reason = "the codec ran longer than " + limit.toMillis() + " ms";
      } else if (threads.getThreadAllocatedBytes(id) - allocatedAtStart > allocationLimit) {
        reason = "the codec allocated more than " + (allocationLimit >> 20) + " MiB";
      }
      if (reason != null && stopped.compareAndSet(null, reason)) {
        context.close(true);
        throw new IllegalStateException("stop the guard");
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  private void forget(String key) {
    var loaded = contexts.get().remove(key);
    if (loaded != null) closeQuietly(loaded.context);
  }

  private static Result interpret(String answer) {
    if (answer == null || answer.equals("null")) {
      return Result.failure("the codec returned nothing (it must return an object)");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(answer);
    } catch (DecodeException e) {
      return Result.failure("the codec returned something that is not JSON");
    }
    if (!(parsed instanceof JsonObject out)) {
      return Result.failure("the codec returned " + typeName(parsed) + ", not an object");
    }
    var warnings = strings(out.getValue("warnings"));
    var errors = strings(out.getValue("errors"));
    var data = out.getValue("data");
    if (data == null) {
      return new Result(null, warnings, errors.isEmpty() ? List.of("the codec returned no data") : errors);
    }
    if (!(data instanceof JsonObject object)) {
      return new Result(null, warnings, List.of("the codec's data is " + typeName(data) + ", not an object"));
    }
    return new Result(object, warnings, errors);
  }

  private static List<String> strings(Object value) {
    var list = new ArrayList<String>();
    if (value instanceof JsonArray array) array.forEach(item -> list.add(String.valueOf(item)));
    else if (value != null) list.add(String.valueOf(value));
    return list;
  }

  private static String typeName(Object value) {
    if (value instanceof JsonArray) return "an array";
    if (value instanceof String) return "a string";
    if (value instanceof Number) return "a number";
    if (value instanceof Boolean) return "a boolean";
    return "null";
  }

  private static String describe(PolyglotException e) {
    var message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.length() > 300 ? message.substring(0, 300) + "…" : message;
  }

  private static JsonArray toArray(byte[] bytes) {
    var array = new JsonArray();
    for (var b : bytes) array.add(b & 0xFF);
    return array;
  }

  private String key(String script) {
    var key = digests.get(script);
    if (key != null) return key;
    if (digests.size() >= 1024) digests.clear();
    key = digest(script);
    digests.put(script, key);
    return key;
  }

  private static String digest(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    engine.close(true);
  }
}
