package io.vigie.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The Kubernetes overlays")
class OverlaysTest {

  static final List<String> SERVICES =
      List.of("vigie-gateway", "vigie-decoder", "vigie-enrichment", "vigie-alert", "vigie-device-registry", "vigie-realtime");
  static final Set<String> AUTOSCALED = Set.of("vigie-gateway", "vigie-decoder", "vigie-enrichment");
  /** Secrets an operator creates before the first apply of the prod overlay (docs/deploy.md says how). */
  static final List<String> CREATED_AT_INSTALL = List.of("vigie-secrets", "vigie-jwt", "vigie-tls");

  private static final Map<String, Manifests> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

  static Stream<Manifests> overlays() {
    return Stream.of("dev", "prod").map(name -> RENDERED.computeIfAbsent(name, Manifests::render));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  @DisplayName("render, and every object parses strictly into its Kubernetes class, in the namespace vigie")
  void renderAndParse(Manifests overlay) {
    assertThat(overlay.all(Deployment.class)).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(SERVICES);
    assertThat(overlay.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("vigie-redis", "vigie-elasticsearch", "vigie-mqtt");
    assertThat(overlay.all(StatefulSet.class)).allSatisfy(s -> assertThat(s.getSpec().getVolumeClaimTemplates().size())
        .as("%s keeps its data on a volume", s.getMetadata().getName()).isPositive());
    assertThat(overlay.all(Ingress.class)).hasSize(2);
    assertThat(overlay.objects()).filteredOn(o -> !o.getKind().equals("Namespace"))
        .extracting(o -> o.getKind() + " " + o.getMetadata().getName() + " in " + o.getMetadata().getNamespace())
        .allSatisfy(o -> assertThat(o).endsWith(" in vigie"));
    assertThat(overlay.all(ConfigMap.class)).extracting(c -> c.getMetadata().getName())
        .contains("vigie-config", "vigie-grafana-datasources", "vigie-grafana-dashboards");
  }

  @Test
  @DisplayName("refuse an object with a field Kubernetes does not know, and a kind they do not expect")
  void strict() {
    assertThatThrownBy(() -> Manifests.parse("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: typo}
        spec:
          replica: 2
          selector: {matchLabels: {a: b}}
          template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}
        """)).hasMessageContaining("replica");
    assertThatThrownBy(() -> Manifests.parse("""
        apiVersion: v1
        kind: Service
        metadata: {name: misplaced}
        spec:
          ports: [{port: 80, targetPort: http, path: /}]
        """)).hasMessageContaining("path");
    assertThatThrownBy(() -> Manifests.parse("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\n"))
        .hasMessageContaining("unexpected object batch/v1/CronJob");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  @DisplayName("probe every service on /health/ready and /health/live at the HTTP port its configuration gives it")
  void probesAndPorts(Manifests overlay) {
    var config = new ServiceConfig(overlay.one(ConfigMap.class, "vigie-config"));
    for (var name : SERVICES) {
      var container = overlay.one(Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0);
      var http = port(container, "http");
      assertThat(http.getContainerPort()).as("%s listens on VIGIE_HTTP_PORT", name).isEqualTo(config.httpPort());
      assertThat(port(container, "hazelcast").getContainerPort()).as("%s Hazelcast port", name).isEqualTo(config.clusterPort());
      assertThat(container.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/health/ready");
      assertThat(container.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/health/live");
      for (var probe : List.of(container.getReadinessProbe(), container.getLivenessProbe(), container.getStartupProbe())) {
        assertThat(resolve(container, probe.getHttpGet().getPort())).as("%s probe port", name).isEqualTo(config.httpPort());
      }
      assertThat(container.getCommand()).as("%s runs its image's entrypoint", name).isNullOrEmpty();
      assertThat(container.getEnvFrom()).anySatisfy(source -> assertThat(source.getConfigMapRef().getName()).isEqualTo("vigie-config"));
      var service = overlay.one(Service.class, name);
      assertThat(service.getSpec().getPorts()).singleElement()
          .satisfies(p -> assertThat(resolve(container, p.getTargetPort())).isEqualTo(config.httpPort()));
    }
    var gateway = overlay.one(Deployment.class, "vigie-gateway").getSpec().getTemplate().getSpec().getContainers().get(0);
    var udp = port(gateway, "udp");
    assertThat(udp.getContainerPort()).isEqualTo(config.udpPort());
    assertThat(udp.getProtocol()).isEqualTo("UDP");
    var forwarders = overlay.one(Service.class, "vigie-gateway-udp");
    assertThat(forwarders.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(forwarders.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getProtocol()).isEqualTo("UDP");
      assertThat(resolve(gateway, p.getTargetPort())).isEqualTo(config.udpPort());
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  @DisplayName("give every Service pods to send to, on a port those pods declare")
  void servicesReachPods(Manifests overlay) {
    var templates = overlay.podTemplates();
    for (var service : overlay.all(Service.class)) {
      var name = service.getMetadata().getName();
      var selected = templates.values().stream()
          .filter(t -> Selectors.matches(service.getSpec().getSelector(), t.getMetadata().getLabels())).toList();
      assertThat(selected).as("pods of Service %s", name).isNotEmpty();
      for (var port : service.getSpec().getPorts()) {
        var target = port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
        assertThat(selected).as("Service %s port %s", name, port.getName())
            .allSatisfy(t -> assertThat(declares(t, target)).isTrue());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  @DisplayName("point the services' Redis, Elasticsearch, broker and cluster addresses, and Grafana, at Services of the overlay")
  void addresses(Manifests overlay) throws Exception {
    var config = new ServiceConfig(overlay.one(ConfigMap.class, "vigie-config"));
    var urls = new ArrayList<String>();
    for (var variable : List.of("VIGIE_REDIS_URL", "VIGIE_ES_URL", "VIGIE_MQTT_URL")) {
      urls.addAll(List.of(config.get(variable).split(",")));
    }
    var datasource = overlay.one(ConfigMap.class, "vigie-grafana-datasources").getData().get("vigie-datasource.yaml");
    urls.add(Manifests.STRICT.readTree(datasource).path("datasources").get(0).path("url").asString());
    for (var url : urls) {
      var uri = URI.create(url.trim());
      assertThat(reachable(overlay, uri.getHost(), uri.getPort())).as("%s: %s", overlay, url).isTrue();
    }
    var clusterDns = config.get("VIGIE_CLUSTER_K8S_SERVICE_DNS");
    var members = overlay.one(Service.class, clusterDns.substring(0, clusterDns.indexOf('.')));
    assertThat(clusterDns).isEqualTo(members.getMetadata().getName() + ".vigie.svc.cluster.local");
    assertThat(members.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(members.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(config.clusterPort());
    assertThat(SERVICES).allSatisfy(name -> assertThat(Selectors.matches(members.getSpec().getSelector(),
        overlay.podTemplates().get(name).getMetadata().getLabels())).as("%s is a cluster member", name).isTrue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  @DisplayName("give each pod only the secrets it needs, made by the overlay (dev) or created at install (prod, docs/deploy.md)")
  void secrets(Manifests overlay) throws Exception {
    var defined = new TreeSet<String>();
    overlay.all(Secret.class).forEach(s -> defined.add(s.getMetadata().getName()));
    var referenced = new TreeSet<String>();
    var keysByPod = new java.util.TreeMap<String, Set<String>>();
    overlay.podTemplates().forEach((name, template) -> {
      var keys = new TreeSet<String>();
      for (var container : template.getSpec().getContainers()) {
        assertThat(container.getEnvFrom()).as("%s: secrets by key, never the whole Secret", name)
            .allSatisfy(source -> assertThat(source.getSecretRef()).isNull());
        for (var env : container.getEnv() == null ? List.<io.fabric8.kubernetes.api.model.EnvVar>of() : container.getEnv()) {
          if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
            referenced.add(env.getValueFrom().getSecretKeyRef().getName());
            keys.add(env.getName());
          }
        }
      }
      template.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null)
          .forEach(v -> referenced.add(v.getSecret().getSecretName()));
      keysByPod.put(name, keys);
    });
    overlay.all(Ingress.class).stream().filter(i -> i.getSpec().getTls() != null)
        .flatMap(i -> i.getSpec().getTls().stream()).forEach(tls -> referenced.add(tls.getSecretName()));
    assertThat(keysByPod.get("vigie-gateway")).containsExactly("VIGIE_INGEST_TOKEN");
    assertThat(keysByPod.get("vigie-device-registry")).containsExactly("VIGIE_ADMIN_PASSWORD", "VIGIE_REGISTRY_MASTER_KEY");
    assertThat(keysByPod).allSatisfy((name, keys) -> {
      if (!name.equals("vigie-gateway") && !name.equals("vigie-device-registry")) assertThat(keys).as(name).isEmpty();
    });
    if (overlay.overlay().equals("prod")) {
      assertThat(defined).as("the prod overlay never overwrites the real secrets").isEmpty();
      assertThat(referenced).containsExactlyInAnyOrderElementsOf(CREATED_AT_INSTALL);
      var guide = Files.readString(Manifests.ROOT.resolve("docs/deploy.md"));
      assertThat(referenced).allSatisfy(name -> assertThat(guide).contains("create secret").contains(" " + name + " "));
    } else {
      assertThat(defined).containsAll(referenced);
      var secret = overlay.one(Secret.class, "vigie-secrets");
      var masterKey = new String(Base64.getDecoder().decode(secret.getData().get("VIGIE_REGISTRY_MASTER_KEY"))).trim();
      assertThat(Base64.getDecoder().decode(masterKey)).as("the registry's master key: 32 bytes, base64").hasSize(32);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  @DisplayName("scale the gateway, decoder and enrichment on CPU, and let drains take one pod of a service at a time")
  void scaling(Manifests overlay) {
    var autoscalers = overlay.all(HorizontalPodAutoscaler.class);
    assertThat(autoscalers).extracting(h -> h.getSpec().getScaleTargetRef().getName())
        .containsExactlyInAnyOrderElementsOf(AUTOSCALED);
    for (var hpa : autoscalers) {
      var target = overlay.one(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
      assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
      assertThat(target.getSpec().getReplicas()).as("%s: the autoscaler alone sets its replicas", target.getMetadata().getName())
          .isNull();
      assertThat(target.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests())
          .as("CPU utilisation needs a CPU request").containsKey("cpu");
      assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
      if (overlay.overlay().equals("prod")) assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
    }
    var budgets = overlay.all(PodDisruptionBudget.class);
    overlay.podTemplates().forEach((name, template) -> {
      if (!SERVICES.contains(name) && !(overlay.overlay().equals("prod") && name.equals("vigie-elasticsearch"))) return;
      assertThat(budgets).as("a disruption budget for %s", name).filteredOn(b -> Selectors.matches(b.getSpec().getSelector(),
          template.getMetadata().getLabels())).singleElement()
          .satisfies(b -> assertThat(b.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1)));
    });
    if (overlay.overlay().equals("prod")) {
      assertThat(overlay.all(Deployment.class)).filteredOn(d -> !AUTOSCALED.contains(d.getMetadata().getName()))
          .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).as(d.getMetadata().getName()).isGreaterThanOrEqualTo(2));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  @DisplayName("let traffic from outside reach only the gateway and realtime; the API services only through the ingress controller")
  void networkPolicies(Manifests overlay) {
    var policies = overlay.all(NetworkPolicy.class);
    assertThat(policies).as("a default deny of everything incoming").anySatisfy(p -> {
      assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
      assertThat(p.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
      assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
      assertThat(p.getSpec().getIngress()).isNullOrEmpty();
    });
    var open = new TreeSet<String>();
    var fromIngressController = new TreeSet<String>();
    overlay.podTemplates().forEach((name, template) -> {
      for (var policy : policies) {
        if (!Selectors.matches(policy.getSpec().getPodSelector(), template.getMetadata().getLabels())) continue;
        for (var rule : policy.getSpec().getIngress() == null ? List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule>of()
            : policy.getSpec().getIngress()) {
          var from = rule.getFrom() == null ? List.<NetworkPolicyPeer>of() : rule.getFrom();
          if (from.isEmpty() || from.stream().anyMatch(OverlaysTest::anywhere)) open.add(name);
          if (from.stream().anyMatch(peer -> peer.getNamespaceSelector() != null && "ingress-nginx".equals(
              peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")))) {
            fromIngressController.add(name);
          }
        }
      }
    });
    assertThat(open).containsExactlyInAnyOrder("vigie-gateway", "vigie-realtime");
    assertThat(fromIngressController).containsExactlyInAnyOrder("vigie-decoder", "vigie-enrichment", "vigie-alert",
        "vigie-device-registry");
  }

  @Test
  @DisplayName("prod: three Elasticsearch nodes holding a replica of every shard, TLS on one host, per-stage timeouts, its own cluster name")
  void production() {
    var prod = overlays().filter(o -> o.overlay().equals("prod")).findFirst().orElseThrow();
    var config = new ServiceConfig(prod.one(ConfigMap.class, "vigie-config"));
    var nodes = prod.one(StatefulSet.class, "vigie-elasticsearch");
    assertThat(nodes.getSpec().getReplicas()).isEqualTo(3);
    assertThat(config.get("VIGIE_ES_URL").split(",")).hasSize(3);
    assertThat(Integer.parseInt(config.get("VIGIE_ES_REPLICAS"))).isEqualTo(1).isLessThan(nodes.getSpec().getReplicas());
    assertThat(config.get("VIGIE_ES_SHARDS")).matches("[1-9][0-9]*");
    assertThat(nodes.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(e -> e.getName()).doesNotContain("discovery.type").contains("discovery.seed_hosts");
    assertThat(config.get("VIGIE_CLUSTER_NAME")).isNotBlank().isNotEqualTo("vigie");
    for (var stage : List.of("DECODE", "ENRICH", "ALERT")) {
      assertThat(config.get("VIGIE_STAGE_TIMEOUT_" + stage)).matches("[0-9]+(ms|s)");
    }
    assertThat(prod.all(Ingress.class)).allSatisfy(ingress -> {
      assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> assertThat(tls.getHosts())
          .containsExactly(ingress.getSpec().getRules().get(0).getHost()));
    });
    var registry = prod.one(Deployment.class, "vigie-device-registry").getSpec().getTemplate().getSpec();
    assertThat(registry.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(
        config.get("VIGIE_JWT_KEY_FILE")).startsWith(m.getMountPath() + "/"));
  }

  private static boolean anywhere(NetworkPolicyPeer peer) {
    return peer.getIpBlock() != null && peer.getIpBlock().getCidr().equals("0.0.0.0/0");
  }

  /** {@code host:port} is a Service's, or {@code <pod>.<headless Service>} of a StatefulSet with that pod. */
  private static boolean reachable(Manifests overlay, String host, int port) {
    var labels = host.replace(".vigie.svc.cluster.local", "").split("\\.");
    var service = overlay.all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(labels[labels.length - 1]))
        .findFirst();
    if (service.isEmpty() || service.get().getSpec().getPorts().stream().noneMatch(p -> p.getPort() == port)) return false;
    if (labels.length == 1) return true;
    if (labels.length != 2 || !"None".equals(service.get().getSpec().getClusterIP())) return false;
    var pod = labels[0];
    return overlay.all(StatefulSet.class).stream().anyMatch(s -> s.getSpec().getServiceName().equals(labels[1])
        && pod.startsWith(s.getMetadata().getName() + "-")
        && Integer.parseInt(pod.substring(s.getMetadata().getName().length() + 1)) < s.getSpec().getReplicas());
  }

  private static ContainerPort port(Container container, String name) {
    return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + name));
  }

  private static int resolve(Container container, IntOrString port) {
    return port.getStrVal() != null ? port(container, port.getStrVal()).getContainerPort() : port.getIntVal();
  }

  private static boolean declares(PodTemplateSpec template, IntOrString port) {
    return template.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
        .anyMatch(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName()) : port.getIntVal().equals(p.getContainerPort()));
  }
}
