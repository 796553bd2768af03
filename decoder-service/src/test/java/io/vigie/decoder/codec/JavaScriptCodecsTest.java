package io.vigie.decoder.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("JavaScript codecs")
class JavaScriptCodecsTest {
  static final Instant NOW = Instant.parse("2026-11-29T10:15:02.123Z");
  /** Generous bounds: what these tests check must not depend on the machine's load. */
  static final JavaScriptCodecs CODECS = new JavaScriptCodecs(Duration.ofSeconds(5), 64L << 20);
  /** The default bounds, for the scripts that must be stopped. */
  static final JavaScriptCodecs STRICT = new JavaScriptCodecs(Duration.ofMillis(100), 16L << 20);

  /** In the style of a Dragino LHT65 codec: bit fields, signed values, several fPorts. */
  static final String LHT65_STYLE = """
      function decodeUplink(input) {
        var bytes = input.bytes;
        if (input.fPort !== 2) {
          return { errors: ['unknown fPort ' + input.fPort] };
        }
        var battery = ((bytes[0] << 8 | bytes[1]) & 0x3FFF) / 1000;
        var raw = bytes[2] << 8 | bytes[3];
        var temperature = (raw & 0x8000 ? raw - 0x10000 : raw) / 100;
        var humidity = (bytes[4] << 8 | bytes[5]) / 10;
        var warnings = battery < 2.5 ? ['low battery'] : [];
        return {
          data: { BatV: battery, TempC_SHT: temperature, Hum_SHT: humidity, status: (bytes[0] >> 6) & 0x03 },
          warnings: warnings
        };
      }
      """;

  @AfterAll
  static void close() {
    CODECS.close();
    STRICT.close();
  }

  static JavaScriptCodecs.Result decode(String script, int fPort, String hex) {
    return CODECS.decode(script, fPort, HexFormat.of().parseHex(hex), NOW, new JsonObject());
  }

  static JavaScriptCodecs.Result strict(String script) {
    return STRICT.decode(script, 1, new byte[] {0}, NOW, new JsonObject());
  }

  @Test
  @DisplayName("decodeUplink(input) with bit fields and signed values gives data and warnings")
  void decodeUplink() {
    var result = decode(LHT65_STYLE, 2, "cbf6ff9c01f4");   // 3.062 V, -1.00 °C, 50.0 %
    assertThat(result.failed()).as(result.errors().toString()).isFalse();
    assertThat(result.data().getDouble("BatV")).isEqualTo(3.062);
    assertThat(result.data().getDouble("TempC_SHT")).isEqualTo(-1.0);
    assertThat(result.data().getDouble("Hum_SHT")).isEqualTo(50.0);
    assertThat(result.data().getInteger("status")).isEqualTo(3);
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  @DisplayName("a codec's own errors (an fPort it does not know) are reported as errors")
  void codecErrors() {
    var result = decode(LHT65_STYLE, 5, "00");
    assertThat(result.failed()).isTrue();
    assertThat(result.errors()).containsExactly("unknown fPort 5");
  }

  @Test
  @DisplayName("the legacy TTN Decoder(bytes, port) and ChirpStack v3 Decode(fPort, bytes, variables) work through the wrapper")
  void legacySignatures() {
    var ttn = decode("function Decoder(bytes, port) { return { temp: (bytes[0] << 8 | bytes[1]) / 10, port: port }; }", 3, "00eb");
    assertThat(ttn.data().getMap()).containsEntry("temp", 23.5).containsEntry("port", 3);
    var chirpstack = CODECS.decode("function Decode(fPort, bytes, variables) { return { t: bytes[0], v: variables.offset }; }",
        1, new byte[] {7}, NOW, new JsonObject().put("offset", 2));
    assertThat(chirpstack.data().getMap()).containsEntry("t", 7).containsEntry("v", 2);
  }

  @Test
  @DisplayName("input carries recvTime as a Date and ES2020 syntax is accepted")
  void inputAndLanguageLevel() {
    var result = decode("""
        const decodeUplink = ({ bytes, recvTime }) => ({ data: { year: recvTime.getUTCFullYear(),
          first: bytes?.[0] ?? -1, big: Number(2n ** 40n) } });
        """, 1, "05");
    assertThat(result.data().getMap()).containsEntry("year", 2026).containsEntry("first", 5);
    assertThat(result.data().getLong("big")).isEqualTo(1L << 40);
  }

  @Test
  @DisplayName("an infinite loop is stopped at the time limit and the next call works again")
  void infiniteLoop() {
    var loop = "function decodeUplink(input) { while (true) {} }";
    var first = strict(loop);
    assertThat(first.failed()).isTrue();
    assertThat(first.errors().get(0)).as("the first call also warms up").contains("ran longer than 1000 ms");
    var started = System.nanoTime();
    var result = strict(loop);
    assertThat(result.errors().get(0)).contains("ran longer than 100 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(decode(LHT65_STYLE, 2, "cbf6ff9c01f4").failed()).isFalse();
  }

  @Test
  @DisplayName("deep recursion, a huge allocation and a throw are recorded errors")
  void hostileScripts() {
    assertThat(decode("function f(n) { return f(n + 1) + 1; } function decodeUplink() { return { data: { x: f(0) } }; }", 1, "00")
        .errors().get(0)).containsIgnoringCase("stack");
    assertThat(strict("function decodeUplink() { var a = []; for (;;) a.push(new Array(1e5).fill(1)); }")
        .errors().get(0)).satisfiesAnyOf(e -> assertThat(e).contains("MiB"), e -> assertThat(e).contains("ms"));
    assertThat(decode("function decodeUplink() { throw new Error('boom'); }", 1, "00").errors().get(0)).contains("boom");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "Java.type('java.lang.System').exit(1)",
      "Packages.java.lang.System.exit(1)",
      "java.lang.System.exit(1)",
      "load('/etc/passwd')",
      "require('fs').readFileSync('/etc/passwd')",
      "Polyglot.eval('js', '1')",
      "new Worker('x')",
      "console.log('x')",
      "print('x')",
      "Graal.versionJS",
      "process.exit(1)",
      "fetch('http://127.0.0.1:9200/')",
      "new XMLHttpRequest()",
      "new WebSocket('ws://127.0.0.1:8080/ws')",
      "this.constructor.constructor('return process')().exit(1)",
      "Function('return this')().Packages.java.lang.System.exit(1)",
      "Object.getPrototypeOf(function () {}).constructor('return Java')().type('java.io.File')"})
  @DisplayName("the host is out of reach")
  void sandbox(String attempt) {
    var result = decode("function decodeUplink() { " + attempt + "; return { data: { escaped: true } }; }", 1, "00");
    assertThat(result.failed()).as("%s must fail", attempt).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "import fs from 'fs';",
      "import * as fs from 'fs';",
      "var f = load;"})
  @DisplayName("modules and files are out of reach, even from the script's top level")
  void noModules(String attempt) {
    var result = decode(attempt + " function decodeUplink() { return { data: { escaped: true } }; }", 1, "00");
    assertThat(result.failed()).as("%s must fail", attempt).isTrue();
    assertThat(result.errors().get(0)).containsAnyOf("does not compile", "threw");
  }

  @Test
  @DisplayName("a script whose top level loops or allocates without end is stopped too, and the next codec works")
  void hostileTopLevel() {
    assertThat(strict("while (true) {} function decodeUplink() { return { data: {} }; }").errors().get(0))
        .contains("ran longer than");
    assertThat(strict("var a = []; for (;;) a.push(new Array(1e5).fill(1)); function decodeUplink() { return { data: {} }; }")
        .errors().get(0)).containsAnyOf("MiB", "ran longer than");
    assertThat(decode(LHT65_STYLE, 2, "cbf6ff9c01f4").failed()).isFalse();
  }

  @Test
  @DisplayName("a codec tampering with Object.prototype, Array.prototype, JSON.parse or the globals changes nothing for its own next calls nor for another codec")
  void prototypeTampering() {
    var tamper = """
        function decodeUplink(input) {
          var seen = { polluted: ({}).polluted === undefined ? 'no' : 'yes', first: input.bytes[0],
            mapped: [1, 2].map(function (x) { return x * 2; }).join(',') };
          Object.prototype.polluted = 'yes';
          ({}).__proto__.viaProto = 'yes';
          Array.prototype.map = function () { return ['hijacked']; };
          JSON.parse = function () { return { bytes: [99] }; };
          JSON.stringify = function () { return '{"data":{"hijacked":true}}'; };
          JSON = { parse: function () { return { bytes: [98] }; } };
          Object = null;
          delete Array.prototype.join;
          return { data: seen };
        }
        """;
    for (int call = 0; call < 3; call++) {
      var result = decode(tamper, 1, "07");
      assertThat(result.failed()).as("call %d: %s", call, result.errors()).isFalse();
      assertThat(result.data().getMap()).as("call %d", call)
          .containsEntry("polluted", "no").containsEntry("first", 7).containsEntry("mapped", "2,4");
    }
    var bystander = decode("function decodeUplink(input) { return { data: { clean: ({}).polluted === undefined"
        + " && ({}).viaProto === undefined && [3].map(function (x) { return x; })[0] === 3, first: input.bytes[0] } }; }", 1, "05");
    assertThat(bystander.data().getMap()).containsEntry("clean", true).containsEntry("first", 5);
    var strictTamper = decode("'use strict'; function decodeUplink() { Object.prototype.polluted = 'yes'; return { data: {} }; }", 1, "00");
    assertThat(strictTamper.errors().get(0)).startsWith("the codec threw: TypeError");
  }

  @Test
  @DisplayName("what a codec defines at its top level stays its own, and its objects may still set toString or an error's name")
  void ownDefinitions() {
    var result = decode("""
        Array.prototype.sum = function () { return this.reduce(function (a, b) { return a + b; }, 0); };
        function Reading(v) { this.v = v; }
        Reading.prototype.toString = function () { return 'reading ' + this.v; };
        function decodeUplink(input) {
          var o = { v: 1 };
          o.toString = function () { return 'v' + this.v; };
          var e = new Error('x');
          e.name = 'CodecError';
          return { data: { sum: input.bytes.sum(), s: String(o), r: String(new Reading(2)), n: e.name } };
        }
        """, 1, "0102");
    assertThat(result.failed()).as(result.errors().toString()).isFalse();
    assertThat(result.data().getMap()).containsEntry("sum", 3).containsEntry("s", "v1").containsEntry("r", "reading 2")
        .containsEntry("n", "CodecError");
  }

  @Test
  @DisplayName("garbage answers are errors: no object, no data, data not an object")
  void garbage() {
    assertThat(decode("function decodeUplink() { return 42; }", 1, "00").errors().get(0)).contains("a number");
    assertThat(decode("function decodeUplink() { }", 1, "00").errors().get(0)).contains("returned nothing");
    assertThat(decode("function decodeUplink() { return { data: [1] }; }", 1, "00").errors().get(0)).contains("an array");
    assertThat(decode("function decodeUplink( {", 1, "00").errors().get(0)).contains("does not compile");
    assertThat(decode("var x = 1;", 1, "00").errors().get(0)).contains("defines none of");
  }

  @Test
  @DisplayName("concurrent decodes on several threads do not share state")
  void concurrency() throws Exception {
    var counter = "var n = 0; function decodeUplink(input) { n++; return { data: { n: n, b: input.bytes[0] } }; }";
    var pool = Executors.newFixedThreadPool(4);
    try {
      var futures = new ArrayList<Future<JavaScriptCodecs.Result>>();
      for (int i = 0; i < 200; i++) {
        var value = i % 256;
        Callable<JavaScriptCodecs.Result> call = () -> CODECS.decode(counter, 1, new byte[] {(byte) value}, NOW, null);
        futures.add(pool.submit(call));
      }
      for (int i = 0; i < futures.size(); i++) {
        var result = futures.get(i).get();
        assertThat(result.failed()).as("call %d: %s", i, result.errors()).isFalse();
        assertThat(result.data().getInteger("b")).isEqualTo(i % 256);
        assertThat(result.data().getInteger("n")).isBetween(1, 200);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
