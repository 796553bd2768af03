package io.vigie.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waits over HTTP until a starting Elasticsearch is ready: {@code GET /_cluster/health?wait_for_status=yellow} answers
 * 200 and the node answering is ours (its pid is one of our child processes). Elasticsearch answers 405 to
 * {@code GET /}: never a health check.
 */
final class ElasticsearchReadiness {

  static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final Pattern PID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

  private ElasticsearchReadiness() {
  }

  /**
   * Returns once the node on {@code port} is ready; reports progress about every 5 s.
   *
   * @param log      the console log of the process; {@code logStart} is its size before this start
   * @param started  {@link System#nanoTime()} when the process was started
   * @throws PortTakenException if Elasticsearch exited because a port was taken
   * @throws IOException        if it exited otherwise or did not become ready in time (with the end of its log)
   */
  static void await(WatchedProcess process, int port, Path log, long logStart, long started,
      Consumer<String> report) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = get(port, "/_cluster/health?wait_for_status=yellow&timeout=1s");
    HttpRequest nodeProcess = get(port, "/_nodes/_local/process?filter_path=nodes.*.process.id");
    long deadline = started + START_TIMEOUT.toNanos();
    long nextProgress = started + PROGRESS_EVERY.toNanos();
    String lastAnswer = "no answer";
    while (true) {
      if (!process.isAlive()) {
        throw exited(process, port, log, logStart);
      }
      try {
        HttpResponse<String> response = client.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          // the node answering must be ours, not another one that already had the port
          HttpResponse<String> node = client.send(nodeProcess, HttpResponse.BodyHandlers.ofString());
          Matcher pid = PID.matcher(node.body());
          if (node.statusCode() == 200 && pid.find() && process.owns(Long.parseLong(pid.group(1)))) {
            return;
          }
          lastAnswer = "an Elasticsearch that is not ours: " + node.body();
        } else {
          lastAnswer = "HTTP " + response.statusCode() + " " + response.body();
        }
      } catch (IOException e) {
        lastAnswer = e.toString();
      } catch (InterruptedException e) {
        throw interrupted(e);
      }
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IOException("Elasticsearch did not become ready within " + START_TIMEOUT.toSeconds() + " s on port "
            + port + " (last answer to GET /_cluster/health: " + lastAnswer + "); end of " + log + ":\n"
            + InfraFiles.lastLines(InfraFiles.since(log, logStart), 40));
      }
      if (now >= nextProgress) {
        report.accept("Elasticsearch starting… " + Duration.ofNanos(now - started).toSeconds() + " s");
        nextProgress += PROGRESS_EVERY.toNanos();
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        throw interrupted(e);
      }
    }
  }

  private static HttpRequest get(int port, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(5))
        .GET()
        .build();
  }

  /** Why Elasticsearch exited while starting: a port taken, or anything else, with the end of its output. */
  private static IOException exited(WatchedProcess process, int port, Path log, long logStart) {
    String newOutput = InfraFiles.since(log, logStart);
    String message = "Elasticsearch exited with code " + process.exitValue() + " while starting on port " + port
        + "; end of " + log + ":\n" + InfraFiles.lastLines(newOutput, 40);
    if (newOutput.contains("BindHttpException")) {
      return new PortTakenException(message, true);
    }
    if (newOutput.contains("BindTransportException") || newOutput.contains("Address already in use")) {
      return new PortTakenException(message, false);
    }
    return new IOException(message);
  }

  private static IOException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new IOException("Interrupted while waiting for Elasticsearch to start", e);
  }

  /** A port was taken between picking it and Elasticsearch binding it. */
  static final class PortTakenException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The HTTP port (else the transport port, or unknown). */
    final boolean httpPort;

    PortTakenException(String message, boolean httpPort) {
      super(message);
      this.httpPort = httpPort;
    }
  }
}
