package io.vigie.gateway.adapter;

import io.vigie.common.message.Uplink;

/** What a network server's message turned out to be: an uplink to forward, or another event, accepted and ignored. */
public sealed interface Incoming {

  /** An uplink for the pipeline. */
  record Up(Uplink uplink) implements Incoming {}

  /** A join, a status, a downlink event…: acknowledged upstream, counted under {@code event}, not forwarded. */
  record Ignored(String event) implements Incoming {}
}
