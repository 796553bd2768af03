package io.vigie.registry.client;

/** An ABP device using a DevAddr ({@code registry.devaddr.lookup}). */
public record DevAddrDevice(String devEui, String tenant) {}
