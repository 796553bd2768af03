package io.vigie.common;

/**
 * Every event-bus address of Vigie. Each one is a row in {@code docs/messaging.md}
 * (producer, consumers, request-reply or publish, body).
 */
public final class Addresses {
  private Addresses() {}

  /** Request-reply, gateway → decoder. Body: {@link io.vigie.common.message.Uplink}. Reply: {@link io.vigie.common.message.Ack}. */
  public static final String UPLINK_RECEIVED = "uplink.received";
  /**
   * Request-reply, decoder → enrichment. Body: {@link io.vigie.common.message.DecodedUplink} (the Measurement, not yet
   * enriched, with the device context the decoder resolved). Reply: Ack.
   */
  public static final String UPLINK_DECODED = "uplink.decoded";
  /** Request-reply, enrichment → alert. Body: stored Measurement. Reply once the alert rules are evaluated. */
  public static final String MEASUREMENT_STORED = "measurement.stored";
  /** Publish, enrichment → realtime (and anyone). Body: stored Measurement. Fan-out after storage. */
  public static final String MEASUREMENT_PUBLISHED = "measurement.published";
  /**
   * Publish, alert → realtime (and anyone). Body: the alert JSON with {@code transition}
   * ({@code opened|escalated|acknowledged|cleared}), {@code at} and {@code by}: one per transition, as appended to the
   * Redis stream {@code vigie:{alerts}:transitions}.
   */
  public static final String ALERT_CHANGED = "alert.changed";
  /**
   * Request-reply, realtime → alert: the open alerts (active or acknowledged) of the devices in a subtree, the live
   * snapshot of {@code alerts.node.<nodeId>}. Body {"tenant","nodeId","limit"?}. Reply {"alerts":[alert JSON, as
   * {@link #ALERT_CHANGED} pushes without the transition…],"complete":bool}, most recently started first, at most
   * {@code limit} (default and cap 500); complete false when there were more. Never bridged to clients.
   */
  public static final String ALERT_OPEN = "alert.open";
  /** Publish, alert → alert (every instance): a tenant's alert rules changed, drop the cached copy. Body {"tenant"}. */
  public static final String ALERT_RULES_CHANGED = "alert.rules.changed";
  /**
   * Publish, registry → everyone with a cache. Body: {@link io.vigie.common.message.RegistryChange}
   * {"kind":"node|device|device-type|user|client|tenant","id","tenant"}.
   */
  public static final String REGISTRY_CHANGED = "registry.changed";

  /** Request-reply, registry. Body {"devEui"}. Reply: {@link io.vigie.common.message.DeviceContext} (the device with its node path and the node's attributes), or failure 404. */
  public static final String REGISTRY_DEVICE_CONTEXT = "registry.device.context";
  /** Request-reply, realtime and enrichment → registry. Body {"tenant"?, "id"}. Reply: the node with its path, or failure 404. */
  public static final String REGISTRY_NODE_GET = "registry.node.get";
  /** Request-reply, registry. Body {}. Reply: {"keys":[JWK…]} — the public keys that verify tokens. */
  public static final String REGISTRY_JWKS = "registry.jwks";

  /**
   * Request-reply, decoder → registry: the session keys of an ABP device. Body {"devEui"}. Reply
   * {"devEui","devAddr","appSKey","nwkSKey"} (hex), or failure 404 (unknown device) / 409 (not ABP). Only the
   * decoder asks; the address is never bridged to clients. Keys are never logged.
   */
  public static final String REGISTRY_DEVICE_KEYS = "registry.device.keys";
  /**
   * Request-reply, gateway/decoder → registry: the ABP devices using a DevAddr (raw frames carry no DevEUI).
   * Body {"devAddr"} (8 hex, big-endian as people write it). Reply {"devices":[{"devEui","tenant"}]}, an empty list
   * when no device uses it.
   */
  public static final String REGISTRY_DEVADDR_LOOKUP = "registry.devaddr.lookup";
  /**
   * Publish, decoder (and the gateway, for a raw Semtech frame whose counter it had already appended) → alert and
   * anyone: a security event on an uplink. Body {@link io.vigie.common.message.SecurityEvent} {"kind":"mic-failure|replay|fcnt-reset",
   * "devEui","tenant","fCnt","receivedAt","source","detail"}.
   */
  public static final String UPLINK_SECURITY = "uplink.security";

  /**
   * Request-reply, registry (and tools) → decoder: run a codec's examples (TTN device-repository form). Body
   * {"codec":{"kind","script"},"examples":[…]}. Reply {"passed":bool,"results":[{"index","description","passed",
   * "expected","actual"}]}, or failure 400 for examples of the wrong form.
   */
  public static final String DECODER_CODEC_TEST = "decoder.codec.test";

  /**
   * Publish, gateway → gateways, every third of {@code ingest.leaseMs}: "I drain the ingest log". Body: the instance's
   * lease owner id (a string). Each instance holds at most ceil(partitions / instances heard within a lease time).
   */
  public static final String INGEST_GATEWAYS = "ingest.gateways";

  /**
   * Local to each JVM (never crosses the cluster), launcher → pipeline stages: a Hazelcast member left the cluster (it
   * died or shut down). Body {"member": "host:port"}. The requests still waiting on a stage are sent again
   * ({@link io.vigie.common.bus.StageRequests}).
   */
  public static final String CLUSTER_MEMBER_LEFT = "vigie.cluster.member.left";

  /** Client-facing (SockJS bridge) address prefixes, followed by a devEui or a node id. */
  public static final String TELEMETRY_DEVICE_PREFIX = "telemetry.device.";
  public static final String TELEMETRY_NODE_PREFIX = "telemetry.node.";
  public static final String ALERTS_NODE_PREFIX = "alerts.node.";
}
