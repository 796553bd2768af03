package io.vigie.gateway.config;

import io.vigie.common.config.VigieConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The MQTT adapter's settings ({@code mqtt.*}); absent (the adapter is off) when {@code mqtt.url} is empty.
 *
 * @param host broker host
 * @param port broker port (1883, or 8883 with TLS, when the URL names none)
 * @param tls {@code ssl://}, {@code mqtts://} or {@code tls://}
 * @param username from {@code mqtt.username}, else the URL's user info; null for anonymous
 * @param password from {@code mqtt.password}, else the URL's user info (never logged)
 * @param clientId stable client id of the persistent session ({@code mqtt.clientId}, default
 *     {@code vigie-gateway-<host name>}); every gateway instance needs its own
 * @param chirpstackTopic filter for ChirpStack v4 up events; empty = not subscribed
 * @param ttsTopic filter for The Things Stack v3 uplinks; empty = not subscribed
 * @param reconnectMinMs first reconnection delay, doubled at each failed attempt up to {@code reconnectMaxMs}
 * @param keepAliveSeconds MQTT keep-alive
 */
public record MqttSettings(String host, int port, boolean tls, String username, String password, String clientId,
                           String chirpstackTopic, String ttsTopic, long reconnectMinMs, long reconnectMaxMs,
                           int keepAliveSeconds) {

  public static final String DEFAULT_CHIRPSTACK_TOPIC = "application/+/device/+/event/up";
  public static final String DEFAULT_TTS_TOPIC = "v3/+/devices/+/up";

  /** Null when {@code mqtt.url} is empty: the MQTT adapter is off. */
  static MqttSettings from(VigieConfig config) {
    var url = config.mqttUrl();
    if (url == null) return null;
    var raw = config.raw();
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw invalidUrl(url);
    }
    var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls = switch (scheme) {
      case "tcp", "mqtt" -> false;
      case "ssl", "mqtts", "tls" -> true;
      default -> throw invalidUrl(url);
    };
    if (uri.getHost() == null) throw invalidUrl(url);
    var port = uri.getPort() > 0 ? uri.getPort() : tls ? 8883 : 1883;
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      var info = uri.getRawUserInfo().split(":", 2);
      user = decode(info[0]);
      password = info.length > 1 ? decode(info[1]) : null;
    }
    user = blankToNull(VigieConfig.stringAt(raw, "mqtt.username", user == null ? "" : user));
    password = blankToNull(VigieConfig.stringAt(raw, "mqtt.password", password == null ? "" : password));
    var clientId = VigieConfig.stringAt(raw, "mqtt.clientId", "").trim();
    if (clientId.isEmpty()) clientId = "vigie-gateway-" + hostName();
    var chirpstack = VigieConfig.stringAt(raw, "mqtt.topics.chirpstack", DEFAULT_CHIRPSTACK_TOPIC).trim();
    var tts = VigieConfig.stringAt(raw, "mqtt.topics.tts", DEFAULT_TTS_TOPIC).trim();
    if (chirpstack.isEmpty() && tts.isEmpty()) {
      throw new IllegalArgumentException("mqtt.topics.chirpstack and mqtt.topics.tts are both empty: nothing to subscribe to");
    }
    var min = VigieConfig.integer(raw, "mqtt.reconnectMinMs", 1000);
    var max = VigieConfig.integer(raw, "mqtt.reconnectMaxMs", 30_000);
    if (min < 10 || max < min) {
      throw new IllegalArgumentException("mqtt.reconnectMinMs must be at least 10 and mqtt.reconnectMaxMs at least as large, got "
          + min + " and " + max);
    }
    var keepAlive = VigieConfig.integer(raw, "mqtt.keepAliveSeconds", 30);
    if (keepAlive < 1) throw new IllegalArgumentException("mqtt.keepAliveSeconds must be positive, got " + keepAlive);
    return new MqttSettings(uri.getHost(), port, tls, user, password, clientId, chirpstack, tts, min, max, keepAlive);
  }

  /** {@code tcp://host:port} without credentials: what the logs and the readiness check show. */
  public String address() {
    return (tls ? "ssl://" : "tcp://") + host + ":" + port;
  }

  @Override
  public String toString() {
    return "MqttSettings[" + address() + ", user=" + username + ", password=" + (password == null ? "none" : "<hidden>")
        + ", clientId=" + clientId + ", topics=" + chirpstackTopic + " " + ttsTopic + "]";
  }

  private static IllegalArgumentException invalidUrl(String url) {
    // the URL may carry a password: never echo it
    return new IllegalArgumentException("mqtt.url (VIGIE_MQTT_URL) must look like tcp://host:1883 or ssl://user:password@host:8883"
        + (url.contains("@") ? "" : ", got '" + url + "'"));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String hostName() {
    var env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) return env.trim();
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "local";
    }
  }
}
