package io.vigie.common.bus;

import io.vertx.core.eventbus.EventBus;
import io.vigie.common.message.DecodedBatch;
import io.vigie.common.message.FateBatch;
import io.vigie.common.message.StoredBatch;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Registers the codecs of the pipeline's batch records ({@link DecodedBatch},
 * {@link StoredBatch}, {@link FateBatch}) as default codecs of an event bus: within one JVM a batch travels from stage
 * to stage as the same Java objects (no JSON encoding, no deep copy); between JVMs as JSON. Every verticle that sends
 * or receives them calls {@link #register} at start; the first call per event bus registers, the others do nothing.
 */
public final class BusCodecs {
  private static final Set<EventBus> REGISTERED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private BusCodecs() {}

  public static void register(EventBus bus) {
    synchronized (REGISTERED) {
      if (!REGISTERED.add(bus)) return;
      bus.registerDefaultCodec(DecodedBatch.class, new RecordCodec<>(DecodedBatch.class, DecodedBatch::toJson, DecodedBatch::fromJson));
      bus.registerDefaultCodec(StoredBatch.class, new RecordCodec<>(StoredBatch.class, StoredBatch::toJson, StoredBatch::fromJson));
      bus.registerDefaultCodec(FateBatch.class, new RecordCodec<>(FateBatch.class, FateBatch::toJson, FateBatch::fromJson));
    }
  }
}
