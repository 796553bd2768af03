package io.vigie.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("EmbeddedElasticsearch, started and stopped by the test")
class EmbeddedElasticsearchLifecycleTest {

  /** Under the module's target directory: the user nobody (Elasticsearch's user when we are root) can reach it. */
  private static Path dir;
  private static Path fakeHome;

  @BeforeAll
  static void setUp() throws IOException {
    dir = WorkDirs.fresh("es-lifecycle");
    fakeHome = fakeDistribution(dir.resolve("fake-home"));
  }

  /** A "distribution" whose bin/elasticsearch reports how it was started, then fails. */
  private static Path fakeDistribution(Path home) throws IOException {
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));
    Files.createDirectories(home.resolve("modules"));
    Files.createDirectories(home.resolve("config"));
    Files.writeString(home.resolve("config/jvm.options"), "-Xss1m\n");
    Path script = home.resolve("bin/elasticsearch");
    Files.writeString(script, String.join("\n",
        "#!/bin/sh",
        "echo \"fake elasticsearch: uid=$(id -u) ES_JAVA_HOME=$ES_JAVA_HOME ES_JAVA_OPTS=$ES_JAVA_OPTS\"",
        "echo \"fake elasticsearch: ES_PATH_CONF=$ES_PATH_CONF ES_TMPDIR=$ES_TMPDIR args=$*\"",
        "echo 'fatal error: this is not a real Elasticsearch' >&2",
        "exit 3",
        ""));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  @Test
  @DisplayName("unpacks the distribution zip from the local Maven repository, runs it, and keeps its data across a restart")
  void fromMavenRepositoryAndRestart() throws Exception {
    Path zip = ElasticsearchDistribution.localRepository().resolve("org/elasticsearch/distribution/integ-test-zip/"
        + "elasticsearch/" + EmbeddedElasticsearch.VERSION + "/elasticsearch-" + EmbeddedElasticsearch.VERSION + ".zip");
    assumeThat(zip).as("the distribution zip the build downloads").isRegularFile();
    Path workDir = dir.resolve("node");

    Path home = ElasticsearchDistribution.locate(workDir, null, null, ElasticsearchDistribution.localRepository());

    assertThat(home).isEqualTo(dir.resolve("elasticsearch-dist/elasticsearch-" + EmbeddedElasticsearch.VERSION));
    assertThat(Files.getPosixFilePermissions(home.resolve("bin/elasticsearch")))
        .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    assertThat(Files.getPosixFilePermissions(home.resolve("lib/elasticsearch-" + EmbeddedElasticsearch.VERSION
        + ".jar"))).contains(PosixFilePermission.OTHERS_READ);
    assertThat(ElasticsearchDistribution.locate(workDir, null, null, ElasticsearchDistribution.localRepository()))
        .as("unpacked once").isEqualTo(home);

    List<String> progress = new CopyOnWriteArrayList<>();
    int port;
    try (EmbeddedElasticsearch elasticsearch = EmbeddedElasticsearch.start(workDir, 0, progress::add, home)) {
      port = elasticsearch.port();
      HttpResponse<String> indexed = Http.put(elasticsearch.url() + "/vigie-test-restart/_doc/gw-1?refresh=true",
          "{\"gatewayId\":\"gw-1\"}");
      assertThat(indexed.statusCode()).isEqualTo(201);
    }
    assertThat(progress).first().asString().startsWith("Starting Elasticsearch " + EmbeddedElasticsearch.VERSION);
    assertThat(progress).last().asString().startsWith("Elasticsearch ready at http://127.0.0.1:" + port);
    assertThatThrownBy(() -> Http.get("http://127.0.0.1:" + port + "/_cluster/health"))
        .as("stopped on close").isInstanceOf(ConnectException.class);

    try (EmbeddedElasticsearch elasticsearch = EmbeddedElasticsearch.start(workDir, 0, null, home)) {
      HttpResponse<String> fetched = Http.get(elasticsearch.url() + "/vigie-test-restart/_doc/gw-1");
      assertThat(fetched.body()).contains("\"found\":true", "\"gatewayId\":\"gw-1\"");
    }
    assertThat(workDir.resolve("logs/vigie.log")).content().contains("started");
    assertThat(workDir.resolve("config/elasticsearch.keystore")).exists();
  }

  @Test
  @DisplayName("fails fast, with the end of its output, when Elasticsearch exits while starting")
  void exitsWhileStarting() {
    long started = System.nanoTime();

    assertThatThrownBy(() -> EmbeddedElasticsearch.start(dir.resolve("failing"), 0, null, fakeHome))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Elasticsearch exited with code 3")
        .hasMessageContaining("fatal error: this is not a real Elasticsearch")
        .hasMessageContaining("ES_JAVA_HOME=" + System.getProperty("java.home"))
        .hasMessageContaining("ES_JAVA_OPTS=-Xms")
        .hasMessageContaining("ES_PATH_CONF=" + dir.resolve("failing/config"))
        .hasMessageContaining("-Ediscovery.type=single-node")
        .hasMessageContaining("-Enetwork.host=127.0.0.1")
        .hasMessageContaining("-Expack.security.enabled=false")
        .satisfies(e -> {
          if (RunAsNobody.isRoot()) {
            assertThat(e).as("run as nobody").hasMessageContaining("uid=65534 ");
          }
        });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  @DisplayName("as root, a work folder the user nobody cannot reach (a checkout under /root) moves to a reachable one, linked from where it was asked")
  void relocatesAnUnreachableWorkDir(@TempDir Path privateDir) throws IOException {
    assumeThat(RunAsNobody.isRoot()).as("running as root").isTrue();
    Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
    var asked = privateDir.resolve("data").resolve("elasticsearch");

    var used = RunAsNobody.reachableWorkDir(asked, line -> { });
    try {
      assertThat(used).startsWith(RunAsNobody.ROOT_FALLBACK);
      assertThat(Files.isSymbolicLink(asked)).isTrue();
      assertThat(asked.toRealPath()).isEqualTo(used.toRealPath());
      assertThat(RunAsNobody.reachableWorkDir(asked, line -> { })).as("found again on the next start")
          .isEqualTo(used.toRealPath());
      var reachable = privateDir.getParent().resolve("reachable-" + privateDir.getFileName());
      assertThat(RunAsNobody.reachableWorkDir(reachable, line -> { })).as("a reachable folder stays")
          .isEqualTo(reachable);
    } finally {
      Files.deleteIfExists(used);
    }
  }

  @Test
  @DisplayName("names every place it looked when no distribution can be found")
  void noDistribution(@TempDir Path empty) {
    assertThatThrownBy(() -> ElasticsearchDistribution.locate(empty.resolve("work"), empty + "/nope", "",
        empty.resolve("repository")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No Elasticsearch " + EmbeddedElasticsearch.VERSION + " distribution found")
        .hasMessageContaining("vigie.es.home")
        .hasMessageContaining(empty.resolve("repository").toString())
        .hasMessageContaining("./mvnw -pl embedded -am install");
  }
}
