package io.vigie.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * No container engine runs in the build: the images are checked as text. Every image {@code k8s/} names is built by a
 * Dockerfile from a module's runnable jar (its {@code target/<artifactId>-<version>.jar} and {@code target/lib/}).
 */
@DisplayName("The container images")
class ImagesTest {
  private static final Pattern IMAGE = Pattern.compile("ghcr\\.io/vigie-iot/vigie-([a-z-]+):([0-9][0-9.]*)");
  private static final String POM = read(Manifests.ROOT.resolve("pom.xml"));
  private static final String VERSION = tag(POM, "version", POM.indexOf("</artifactId>"));
  /** What every image starts from: docker/base/Dockerfile. */
  private static final String BASE = "ghcr.io/vigie-iot/vigie-base:0.1.0";

  @Test
  @DisplayName("every image named in k8s/ has a Dockerfile and a module of the build that makes the jar it copies")
  void everyImageHasItsBuild() throws IOException {
    var images = new TreeSet<String>();
    try (var files = Files.walk(Manifests.ROOT.resolve("k8s"))) {
      for (var file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        var matcher = IMAGE.matcher(read(file));
        while (matcher.find()) images.add(matcher.group(1));
      }
    }
    OverlaysTest.overlays().forEach(overlay -> overlay.all(Deployment.class).forEach(d -> {
      var matcher = IMAGE.matcher(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
      assertThat(matcher.matches()).as("%s: %s runs a Vigie image", overlay, d.getMetadata().getName()).isTrue();
      images.add(matcher.group(1));
    }));
    assertThat(images).contains("gateway", "decoder", "enrichment", "alert", "device-registry", "realtime");
    for (var image : images) {
      var module = module(image);
      assertThat(POM).as("the build's modules include %s", module).contains("<module>" + module + "</module>");
      var modulePom = read(Manifests.ROOT.resolve(module).resolve("pom.xml"));
      var artifactId = tag(modulePom, "artifactId", modulePom.indexOf("</parent>"));
      var dockerfile = Manifests.ROOT.resolve(module).resolve("Dockerfile");
      assertThat(dockerfile).as("image vigie-%s", image).exists();
      assertThat(instructions(read(dockerfile))).as(dockerfile.toString()).startsWith(
          "FROM " + BASE, "ARG VERSION=" + VERSION, "COPY target/lib/ /app/lib/",
          "COPY target/" + artifactId + "-${VERSION}.jar /app/service.jar");
      assertThat(read(dockerfile)).contains("docker build -t ghcr.io/vigie-iot/vigie-" + image + ":");
      try (var sources = Files.walk(Manifests.ROOT.resolve(module).resolve("src/main/java"))) {
        assertThat(sources.filter(f -> f.getFileName().toString().equals("Main.java")).count())
            .as("%s has the Main its jar runs", module).isEqualTo(1);
      }
    }
  }

  @Test
  @DisplayName("the base of every image runs java -jar on a JRE 17 as a non-root user, checks /health/live, and exposes the HTTP port")
  void baseImage() throws IOException {
    var lines = instructions(read(Manifests.ROOT.resolve("docker/base/Dockerfile")));
    assertThat(lines.get(0)).isEqualTo("FROM eclipse-temurin:17-jre");
    var user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertThat(user).as("an unprivileged user").matches("USER [1-9][0-9]{3,}(:[1-9][0-9]{3,})?");
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("useradd --system --uid " + user.substring(5).split(":")[0]));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("HEALTHCHECK ").contains("/health/live"));
    assertThat(lines).contains("EXPOSE 8080", "WORKDIR /var/lib/vigie");
    assertThat(entrypoint(lines)).containsSubsequence("java", "-jar", "/app/service.jar");
    List<Path> dockerfiles;
    try (var dirs = Files.list(Manifests.ROOT)) {
      dockerfiles = dirs.map(d -> d.resolve("Dockerfile")).filter(Files::exists).sorted().toList();
    }
    assertThat(dockerfiles).hasSize(7).allSatisfy(dockerfile -> {
      var own = instructions(read(dockerfile));
      assertThat(own).as(dockerfile.toString()).filteredOn(l -> l.startsWith("FROM ")).containsExactly("FROM " + BASE);
      assertThat(own).as("%s keeps the base's user", dockerfile).noneMatch(l -> l.startsWith("USER "));
    });
  }

  @Test
  @DisplayName("the all-in-one image carries the Elasticsearch the build unpacks and points the platform at it")
  void platformImage() {
    var text = read(Manifests.ROOT.resolve("platform/Dockerfile"));
    var esVersion = tag(POM, "elasticsearch.version", 0);
    assertThat(text).contains("ARG ES_VERSION=" + esVersion)
        .contains("COPY embedded/target/elasticsearch-${ES_VERSION}/ /opt/elasticsearch/")
        .contains("COPY platform/target/platform-${VERSION}.jar /app/platform.jar")
        .contains("VIGIE_ES_HOME=/opt/elasticsearch");
    assertThat(entrypoint(instructions(text))).containsSubsequence("java", "-Dvigie.es.home=/opt/elasticsearch", "-jar",
        "/app/platform.jar");
    assertThat(read(Manifests.ROOT.resolve("vigie"))).as("./vigie unpacks the same one")
        .contains("elasticsearch-" + esVersion);
    var ignore = read(Manifests.ROOT.resolve(".dockerignore"));
    assertThat(ignore.lines().filter(l -> l.startsWith("!")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("!platform/target/platform-*.jar", "!platform/target/lib/", "!embedded/target/elasticsearch-*/");
  }

  /** {@code vigie-<image>} comes from the module {@code <image>-service}, or {@code <image>} (platform). */
  static String module(String image) {
    var service = image + "-service";
    return Files.isDirectory(Manifests.ROOT.resolve(service)) ? service : image;
  }

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  static List<String> instructions(String text) {
    var joined = text.replaceAll("\\\\\\n\\s*", " ");
    return joined.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  static List<String> entrypoint(List<String> instructions) {
    var line = instructions.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    try {
      return List.of(Manifests.STRICT.readValue(line.substring("ENTRYPOINT ".length()), String[].class));
    } catch (RuntimeException e) {
      throw new AssertionError("ENTRYPOINT must be the exec form (a JSON array): " + line, e);
    }
  }

  private static String tag(String xml, String name, int from) {
    var start = xml.indexOf("<" + name + ">", from) + name.length() + 2;
    return xml.substring(start, xml.indexOf("</" + name + ">", start)).trim();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
