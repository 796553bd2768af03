package io.vigie.gateway.udp;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vigie.gateway.adapter.InvalidUplinkException;
import io.vigie.gateway.adapter.SemtechUdp;
import io.vigie.gateway.config.UdpSettings;
import io.vigie.gateway.ingest.IngestMetrics;
import io.vigie.gateway.ingest.IngestPipeline;
import io.vigie.gateway.ingest.Sequencer;
import io.vigie.registry.client.DevAddrDevice;
import io.vigie.registry.client.RegistryClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Semtech UDP packet-forwarder endpoint: answers PUSH_DATA with PUSH_ACK and PULL_DATA with PULL_ACK (same
 * token), keeps each gateway's {@code stat}, and hands every good data-up frame of {@code rxpk[]} to the
 * pipeline once its DevAddr is resolved to a device ({@link RegistryClient#devAddrDevices}, cached: one frame heard
 * by several gateways costs one registry request at most). The PUSH_ACK leaves once every frame of the datagram is
 * appended to the ingest log (or dropped for good); from then on each frame is processed at least once. The packet
 * forwarder never sends a datagram again: a frame that could not be appended (log full, Redis down) is lost, counted.
 * Every bad datagram or frame is counted and dropped; nothing thrown here reaches the event loop.
 */
public final class UdpIngestVerticle extends VerticleBase {
  public static final String ADAPTER = SemtechUdp.SOURCE;
  private static final Logger LOG = LoggerFactory.getLogger(UdpIngestVerticle.class);

  private final UdpSettings settings;
  private final IngestPipeline pipeline;
  private final IngestMetrics metrics;
  private final GatewayStatusStore gateways;
  private final Clock clock;
  private final RegistryClient registry;
  private DatagramSocket socket;
  private volatile int port = -1;
  /** DevAddrs already reported as shared (a warning each, not one per frame); event-loop confined. */
  private final Set<String> warnedDevAddrs = new HashSet<>();
  private final Sequencer<List<DevAddrDevice>> resolutions = new Sequencer<>();

  public UdpIngestVerticle(UdpSettings settings, IngestPipeline pipeline, IngestMetrics metrics,
                           GatewayStatusStore gateways, Clock clock, RegistryClient registry) {
    this.settings = settings;
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.gateways = gateways;
    this.clock = clock;
    this.registry = registry;
  }

  /** The bound port (useful with {@code udp.port: 0}); -1 before the start. */
  public int port() {
    return port;
  }

  @Override
  public Future<?> start() {
    socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(1 << 20));
    socket.handler(this::receive);
    socket.exceptionHandler(e -> LOG.warn("UDP socket error: {}", e.toString()));
    return socket.listen(settings.port(), settings.host())
        .recover(e -> Future.failedFuture(new IllegalStateException("udp.port " + settings.port() + " on " + settings.host()
            + " cannot be bound (VIGIE_UDP_PORT; 'off' turns the Semtech UDP adapter off): " + e.getMessage(), e)))
        .onSuccess(bound -> {
          port = bound.localAddress().port();
          LOG.info("Semtech UDP packet forwarder endpoint on {}:{}", settings.host(), port);
        });
  }

  @Override
  public Future<?> stop() {
    return socket == null ? Future.succeededFuture() : socket.close();
  }

  private void receive(DatagramPacket packet) {
    try {
      handle(packet);
    } catch (InvalidUplinkException e) {
      metrics.rejected(ADAPTER, e.reason());
      LOG.debug("datagram from {} dropped: {}", packet.sender(), e.getMessage());
    } catch (RuntimeException e) {
      metrics.rejected(ADAPTER, "internal");
      LOG.warn("datagram from {} dropped on an unexpected error: {}", packet.sender(), e.toString());
    }
  }

  private void handle(DatagramPacket packet) {
    var data = packet.data();
    var header = SemtechUdp.header(data);
    switch (header.identifier()) {
      case SemtechUdp.PULL_DATA -> {
        reply(packet, SemtechUdp.ack(header, SemtechUdp.PULL_ACK));
        gateways.pulled(header.gatewayEui());
      }
      case SemtechUdp.TX_ACK -> metrics.ignored(ADAPTER, "tx_ack");
      default -> pushData(packet, header, data);
    }
  }

  private void pushData(DatagramPacket packet, SemtechUdp.Header header, Buffer data) {
    var json = SemtechUdp.pushData(data);
    var gatewayEui = header.gatewayEui();
    if (json.getValue("stat") instanceof JsonObject stat) gateways.stat(gatewayEui, stat);
    if (!(json.getValue("rxpk") instanceof JsonArray rxpk)) {
      if (json.getValue("rxpk") != null) metrics.rejected(ADAPTER, "malformed");
      gateways.pushed(gatewayEui, 0);
      reply(packet, SemtechUdp.ack(header, SemtechUdp.PUSH_ACK));
      return;
    }
    gateways.pushed(gatewayEui, rxpk.size());
    var now = clock.instant();
    var frames = new ArrayList<Future<Boolean>>();
    for (int i = 0; i < rxpk.size(); i++) {
      try {
        if (!(rxpk.getValue(i) instanceof JsonObject item)) throw new InvalidUplinkException("rxpk[" + i + "] must be an object");
        frames.add(frame(SemtechUdp.received(item, gatewayEui, now, "rxpk[" + i + "]")));
      } catch (InvalidUplinkException e) {
        if (SemtechUdp.JOIN_REQUEST.equals(e.reason())) {
          metrics.ignored(ADAPTER, SemtechUdp.JOIN_REQUEST);
        } else {
          metrics.rejected(ADAPTER, e.reason());
          LOG.debug("packet {} from gateway {} dropped: {}", i, gatewayEui, e.getMessage());
        }
      }
    }
    // PUSH_ACK once every frame of the datagram is appended (or dropped for good): the durable acceptance
    Future.all(frames).onSuccess(settled -> {
      if (frames.stream().allMatch(Future::result)) reply(packet, SemtechUdp.ack(header, SemtechUdp.PUSH_ACK));
      else LOG.debug("PUSH_DATA {} of gateway {} not acknowledged: a frame could not be appended", header.token(), gatewayEui);
    });
  }

  /** True once the frame is appended or dropped for good; false when it could not be appended now. */
  private Future<Boolean> frame(SemtechUdp.Received received) {
    var devAddr = received.frame().devAddrHex();
    // resolved one after the other per DevAddr: the frames of a device reach the pipeline in the order they came
    return resolutions.run(devAddr, () -> registry.devAddrDevices(devAddr))
        .map(devices -> devices.stream().map(DevAddrDevice::devEui).toList()).transform(resolved -> {
      if (resolved.failed()) {
        metrics.rejected(ADAPTER, "registry_unavailable");
        LOG.debug("DevAddr {} not resolved: {}", devAddr, resolved.cause().toString());
        return Future.succeededFuture(false);
      } else if (resolved.result().isEmpty()) {
        metrics.rejected(ADAPTER, "unknown_devaddr");
        LOG.debug("frame of unknown DevAddr {} dropped", devAddr);
      } else if (resolved.result().size() > 1) {
        metrics.rejected(ADAPTER, "ambiguous_devaddr");
        if (warnedDevAddrs.size() < 1000 && warnedDevAddrs.add(devAddr)) {
          LOG.warn("frames of DevAddr {} are dropped: {} ABP devices use it ({}); give each ABP device its own DevAddr",
              devAddr, resolved.result().size(), resolved.result());
        }
      } else {
        var uplink = received.toUplink(resolved.result().get(0));
        return pipeline.submit(ADAPTER, uplink, pipeline.dedupWindowMs()).map(true)
            .otherwise(e -> {
              LOG.debug("uplink {} not appended: {}", uplink.id(), e.getMessage());
              return IngestPipeline.isPermanent(e);
            });
      }
      return Future.succeededFuture(true);
    });
  }

  private void reply(DatagramPacket packet, Buffer ack) {
    socket.send(ack, packet.sender().port(), packet.sender().host())
        .onFailure(e -> LOG.debug("ack to {} not sent: {}", packet.sender(), e.toString()));
  }
}
