package io.vigie.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The objects of one Kustomize overlay as the cluster would receive them: rendered by {@code kubectl kustomize} (or
 * {@code kustomize build}), each parsed into its fabric8 model class, strictly. The model keeps fields it does not know
 * in an "additional properties" map; that is switched off here, so a misspelt or misplaced field fails the parse
 * instead of being ignored by the test and rejected (or silently dropped) by the API server.
 */
record Manifests(String overlay, List<HasMetadata> objects) {

  /** The repository: the parent of this module. */
  static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();

  /** Every kind the overlays may hold, by apiVersion/kind; anything else fails the parse. */
  static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "v1/Namespace", Namespace.class,
      "v1/ConfigMap", ConfigMap.class,
      "v1/Secret", Secret.class,
      "v1/Service", Service.class,
      "apps/v1/Deployment", Deployment.class,
      "apps/v1/StatefulSet", StatefulSet.class,
      "networking.k8s.io/v1/Ingress", Ingress.class,
      "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

  static final YAMLMapper STRICT = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
          DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .annotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
          return false; // no catch-all for unknown fields
        }
      })
      .build();

  /** Renders {@code k8s/overlays/<name>} and parses every object. */
  static Manifests render(String name) {
    var dir = ROOT.resolve("k8s/overlays").resolve(name);
    return new Manifests(name, parse(kustomize(dir)));
  }

  /** Parses a stream of YAML documents, each strictly into its class. */
  static List<HasMetadata> parse(String yaml) {
    var objects = new ArrayList<HasMetadata>();
    try (var documents = STRICT.readValues(STRICT.createParser(yaml), JsonNode.class)) {
      while (documents.hasNextValue()) {
        var node = documents.nextValue();
        if (node == null || node.isNull() || node.isEmpty()) continue;
        var key = node.path("apiVersion").asString() + "/" + node.path("kind").asString();
        var type = KINDS.get(key);
        if (type == null) throw new AssertionError("unexpected object " + key + " " + node.path("metadata").path("name"));
        try {
          objects.add(STRICT.treeToValue(node, type));
        } catch (RuntimeException e) {
          throw new AssertionError(key + " " + node.path("metadata").path("name").asString() + ": " + e.getMessage(), e);
        }
      }
    }
    return objects;
  }

  /**
   * {@code kubectl kustomize <dir>}, else {@code kustomize build <dir>}; {@code VIGIE_KUBECTL} names another kubectl.
   */
  static String kustomize(Path dir) {
    var kubectl = Optional.ofNullable(System.getenv("VIGIE_KUBECTL")).orElse("kubectl");
    var attempts = List.of(List.of(kubectl, "kustomize", dir.toString()), List.of("kustomize", "build", dir.toString()));
    var failures = new ArrayList<String>();
    for (var command : attempts) {
      try {
        var out = Files.createTempFile("kustomize", ".yaml");
        var err = Files.createTempFile("kustomize", ".err");
        try {
          var process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
          if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
          }
          if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + Files.readString(err, StandardCharsets.UTF_8));
          }
          return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
          Files.deleteIfExists(out);
          Files.deleteIfExists(err);
        }
      } catch (IOException e) {
        failures.add(String.join(" ", command) + ": " + e.getMessage()); // not installed: try the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while rendering " + dir, e);
      }
    }
    throw new AssertionError("Rendering the Kubernetes overlays needs kubectl (1.27 or newer, its built-in kustomize) or"
        + " kustomize (v5) on the PATH, or VIGIE_KUBECTL naming a kubectl; none could run: " + failures
        + ". Install one (https://kubernetes.io/docs/tasks/tools/) and run the tests again.");
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(overlay + ": no " + type.getSimpleName() + " " + name));
  }

  /** The pod templates of the Deployments and StatefulSets, by workload name. */
  Map<String, PodTemplateSpec> podTemplates() {
    var templates = new java.util.TreeMap<String, PodTemplateSpec>();
    all(Deployment.class).forEach(d -> templates.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
    all(StatefulSet.class).forEach(s -> templates.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
    return templates;
  }

  @Override
  public String toString() {
    return overlay;
  }
}
