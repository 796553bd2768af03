package io.vigie.alert;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigie.alert.store.AlertTransitions;
import io.vigie.alert.store.RedisAlertStore;
import io.vigie.alert.store.RuleStore;
import io.vigie.registry.client.RegistryClient;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What the alert service's verticles share, made once by {@link AlertService}.
 *
 * @param ids new alert ids
 * @param clock what timers and people's actions are dated with (tests move it)
 */
record Wiring(RedisAlertStore store, AlertTransitions transitions, RuleStore rules, RegistryClient registry,
              AlertEvents events, Supplier<String> ids, Clock clock, MeterRegistry meters) {}
