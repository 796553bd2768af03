package io.vigie.enrichment.config;

import io.vigie.common.config.StageTimeouts;
import io.vigie.common.config.VigieConfig;
import io.vigie.common.elastic.ElasticHosts;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The enrichment service's settings, parsed and validated once.
 *
 * @param elasticsearch the Elasticsearch nodes, {@code http(s)://[user:password@]host:port} each (VIGIE_ES_URL, comma-separated)
 * @param indexPrefix first part of every index, alias and template name ({@code vigie-measurements})
 * @param requestTimeoutMs how long a bus request (registry) or an Elasticsearch call may take
 * @param alertTimeoutMs how long a batch waits for the alert stage ({@link StageTimeouts#alertMs()})
 * @param retentionMonths monthly indices whose whole month is older than this many months are deleted; 0 keeps everything
 * @param bulk how documents are grouped into bulk requests
 * @param shards primary shards of each monthly index (VIGIE_ES_SHARDS)
 * @param replicas replicas of each shard (VIGIE_ES_REPLICAS)
 */
public record EnrichmentConfig(ElasticHosts elasticsearch, String indexPrefix, long requestTimeoutMs, long alertTimeoutMs,
                               int retentionMonths, Bulk bulk, int shards, int replicas) {
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
  /** Not mapped by common's ConfigLoader yet: read here when the configuration tree does not say. */
  static final String RETENTION_VARIABLE = "VIGIE_ES_RETENTION_MONTHS";

  /**
   * The bulk writer's limits.
   *
   * @param maxDocs a bulk request carries at most this many documents (sent as soon as that many wait)
   * @param maxDelayMs a document waits at most this long for others before its bulk request is sent (less while
   *     Elasticsearch answers quickly: twice its recent answer time)
   * @param maxPending documents accepted but not yet stored (waiting or being retried); beyond it, 503 at once
   * @param concurrency bulk requests in flight at once
   * @param ackTimeoutMs a caller waits this long for its document to be stored before it gets a 503 (default: the
   *     enrich stage's timeout less the alert stage's and a second, so the decoder hears the 503 before it gives up)
   *     (the document stays queued and is still stored; the re-delivery is then a duplicate)
   */
  public record Bulk(int maxDocs, long maxDelayMs, int maxPending, int concurrency, long ackTimeoutMs) {}

  public static EnrichmentConfig from(VigieConfig config) {
    return from(config, System.getenv());
  }

  static EnrichmentConfig from(VigieConfig config, Map<String, String> environment) {
    var url = config.elasticsearchUrl();
    if (url == null) {
      throw new IllegalArgumentException("elasticsearch.url (VIGIE_ES_URL) is not set: the enrichment service stores "
          + "measurements in Elasticsearch, give it e.g. http://localhost:9200");
    }
    var hosts = ElasticHosts.parse(url);
    var raw = config.raw();
    var prefix = VigieConfig.stringAt(raw, "elasticsearch.indexPrefix", "vigie-measurements").trim();
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("elasticsearch.indexPrefix (VIGIE_ES_INDEX_PREFIX) must be lower-case letters, "
          + "digits, '-', '_' or '.', got '" + prefix + "'");
    }
    var retention = VigieConfig.valueAt(raw, "elasticsearch.retentionMonths") == null && environment.get(RETENTION_VARIABLE) != null
        ? parse(environment.get(RETENTION_VARIABLE), RETENTION_VARIABLE)
        : VigieConfig.integer(raw, "elasticsearch.retentionMonths", 0);
    atLeast(retention, 0, "elasticsearch.retentionMonths");
    var timeout = config.requestTimeoutMs();
    var stages = StageTimeouts.from(config);
    var bulk = new Bulk(
        atLeast(VigieConfig.integer(raw, "elasticsearch.bulk.maxDocs", 500), 1, "elasticsearch.bulk.maxDocs"),
        atLeast(VigieConfig.integer(raw, "elasticsearch.bulk.maxDelay", 40), 0, "elasticsearch.bulk.maxDelay"),
        atLeast(VigieConfig.integer(raw, "elasticsearch.bulk.maxPending", 10_000), 1, "elasticsearch.bulk.maxPending"),
        atLeast(VigieConfig.integer(raw, "elasticsearch.bulk.concurrency", 2), 1, "elasticsearch.bulk.concurrency"),
        atLeast(VigieConfig.integer(raw, "elasticsearch.bulk.ackTimeout", ackTimeout(stages)), 1,
            "elasticsearch.bulk.ackTimeout"));
    return new EnrichmentConfig(hosts, prefix, timeout, stages.alertMs(), retention, bulk, config.elasticsearchShards(),
        config.elasticsearchReplicas());
  }

  /**
   * What the enrich stage's wait leaves once the alert stage had its share, less a second for the rest of the batch's
   * work: the decoder hears this service's 503 before it gives up waiting (a quarter of the stage's wait at least).
   */
  private static int ackTimeout(StageTimeouts stages) {
    return (int) Math.max(1, Math.max(stages.enrichMs() / 4, stages.enrichMs() - stages.alertMs() - 1000));
  }

  private static int parse(String value, String name) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
  }

  private static int atLeast(int value, int minimum, String name) {
    if (value < minimum) throw new IllegalArgumentException(name + " must be at least " + minimum + ", got " + value);
    return value;
  }
}
