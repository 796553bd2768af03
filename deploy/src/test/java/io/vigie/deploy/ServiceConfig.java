package io.vigie.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a service pod will listen on: the ConfigMap's variable when it sets one, else the default every service reads
 * from {@code common/src/main/resources/vigie-defaults.yaml}.
 */
final class ServiceConfig {
  private static final JsonNode DEFAULTS = readDefaults();

  private final Map<String, String> variables;

  ServiceConfig(ConfigMap config) {
    this.variables = config.getData();
  }

  int httpPort() {
    return port("VIGIE_HTTP_PORT", DEFAULTS.path("http").path("port"));
  }

  int udpPort() {
    return port("VIGIE_UDP_PORT", DEFAULTS.path("udp").path("port"));
  }

  int clusterPort() {
    return port("VIGIE_CLUSTER_PORT", DEFAULTS.path("cluster").path("port"));
  }

  String get(String name) {
    return variables.get(name);
  }

  private int port(String variable, JsonNode fallback) {
    var value = variables.get(variable);
    if (value != null) return Integer.parseInt(value.trim());
    if (!fallback.isNumber()) throw new AssertionError("vigie-defaults.yaml has no default for " + variable);
    return fallback.asInt();
  }

  private static JsonNode readDefaults() {
    try {
      return Manifests.STRICT.readTree(Files.readString(Manifests.ROOT.resolve("common/src/main/resources/vigie-defaults.yaml")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
