package io.vigie.common.elastic;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The Elasticsearch nodes of {@code VIGIE_ES_URL}: one URL or several, comma-separated ({@code http://es-0:9200,
 * http://es-1:9200}). Requests go round-robin; one that fails to get an answer (connection refused, timeout) is tried
 * on the next node, each node at most once. Credentials may be in a URL ({@code https://user:pass@host:9200}): the
 * first found is sent as Basic authorization to every node, and never logged.
 */
public final class ElasticHosts {
  private final List<URI> hosts;
  private final String authorization;
  private final AtomicInteger next = new AtomicInteger();

  private ElasticHosts(List<URI> hosts, String authorization) {
    this.hosts = hosts;
    this.authorization = authorization;
  }

  /** The nodes of a comma-separated list of {@code http(s)://host:port} URLs. */
  public static ElasticHosts parse(String urls) {
    var hosts = Arrays.stream(urls.split(",")).map(String::trim).filter(url -> !url.isEmpty()).map(ElasticHosts::uri).toList();
    if (hosts.isEmpty()) throw new IllegalArgumentException("no Elasticsearch URL in VIGIE_ES_URL");
    var credentials = hosts.stream().filter(uri -> uri.getRawUserInfo() != null).findFirst()
        .map(uri -> "Basic " + Base64.getEncoder().encodeToString(uri.getUserInfo().getBytes(StandardCharsets.UTF_8)))
        .orElse(null);
    return new ElasticHosts(hosts, credentials);
  }

  private static URI uri(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("elasticsearch.url (VIGIE_ES_URL) holds something that is not a URL: " + e.getMessage());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("elasticsearch.url (VIGIE_ES_URL) must list URLs like http://host:9200, got scheme "
          + uri.getScheme() + " and host " + uri.getHost());
    }
    return uri;
  }

  public List<URI> hosts() {
    return hosts;
  }

  /** {@code Basic …} for the credentials of the URLs, or null. */
  public String authorization() {
    return authorization;
  }

  /** A node's port: the URL's, else 443 for https and 9200 for http. */
  public static int port(URI host) {
    return host.getPort() != -1 ? host.getPort() : "https".equals(host.getScheme()) ? 443 : 9200;
  }

  /** {@code path} (from {@code /}) on a node: {@code http://host:port/path}, without the credentials. */
  public static String url(URI host, String path) {
    return host.getScheme() + "://" + host.getHost() + ":" + port(host) + path;
  }

  /**
   * {@code method path} with {@code client} on the next node, with the credentials, on the following node when it got
   * no answer; {@code send} sets what the request needs (headers, timeout) and sends it.
   */
  public Future<HttpResponse<Buffer>> request(WebClient client, HttpMethod method, String path,
                                              Function<HttpRequest<Buffer>, Future<HttpResponse<Buffer>>> send) {
    return withFailover(host -> {
      var request = client.requestAbs(method, url(host, path));
      return send.apply(authorization == null ? request : request.putHeader("Authorization", authorization));
    });
  }

  /** {@code attempt} on the next node; when it fails, on the following one, until every node was tried once. */
  private <T> Future<T> withFailover(Function<URI, Future<T>> attempt) {
    int first = Math.floorMod(next.getAndIncrement(), hosts.size());
    return attempt(attempt, first, 0);
  }

  private <T> Future<T> attempt(Function<URI, Future<T>> attempt, int first, int tried) {
    var host = hosts.get((first + tried) % hosts.size());
    return attempt.apply(host).recover(failure -> tried + 1 < hosts.size()
        ? attempt(attempt, first, tried + 1) : Future.failedFuture(failure));
  }
}
