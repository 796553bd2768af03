package io.vigie.enrichment.config;

import io.vigie.common.config.VigieConfig;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * The enrichment service's settings, parsed and validated once.
 *
 * @param elasticsearchUrl {@code http(s)://[user:password@]host:port} of Elasticsearch
 * @param indexPrefix first part of every index, alias and template name ({@code vigie-measurements})
 * @param requestTimeoutMs how long a bus request (registry, alert service) or an Elasticsearch call may take
 */
public record EnrichmentConfig(URI elasticsearchUrl, String indexPrefix, long requestTimeoutMs) {
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

  public static EnrichmentConfig from(VigieConfig config) {
    var url = config.elasticsearchUrl();
    if (url == null) {
      throw new IllegalArgumentException("elasticsearch.url (VIGIE_ES_URL) is not set: the enrichment service stores "
          + "measurements in Elasticsearch, give it e.g. http://localhost:9200");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("elasticsearch.url (VIGIE_ES_URL) is not a URL: " + e.getMessage());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("elasticsearch.url (VIGIE_ES_URL) must look like http://host:9200, got scheme "
          + uri.getScheme() + " and host " + uri.getHost());
    }
    var prefix = VigieConfig.stringAt(config.raw(), "elasticsearch.indexPrefix", "vigie-measurements").trim();
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("elasticsearch.indexPrefix (VIGIE_ES_INDEX_PREFIX) must be lower-case letters, "
          + "digits, '-', '_' or '.', got '" + prefix + "'");
    }
    return new EnrichmentConfig(uri, prefix, config.requestTimeoutMs());
  }
}
