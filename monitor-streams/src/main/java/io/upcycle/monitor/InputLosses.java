package io.upcycle.monitor;

import io.upcycle.monitor.state.LossesReplay;
import io.upcycle.monitor.tracking.PrimitiveArrays;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.registry.RegistryOutage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A run's losses records read back from a {@link LossesLog} and decoded as the losses topic's
 * decoder did when they arrived: the other runs' records and the undecodable ones are passed over
 * (the latter went to the dead-letter topic then). A registry outage is thrown, as live.
 */
final class InputLosses implements LossesReplay {
    private final LossesLog log;
    private final Deserializer<?> decoder;
    private final String topic;

    InputLosses(LossesLog log, Deserializer<?> decoder, String topic) {
        this.log = log;
        this.decoder = decoder;
        this.topic = topic;
    }

    @Override
    public void forEach(String runId, long from, long to, Visitor visitor) {
        byte[] runKey = runId.getBytes(StandardCharsets.UTF_8);
        log.read(from, to, (offset, key, value) -> {
            if (!Arrays.equals(key, runKey) || value == null) {
                return;
            }
            Object event;
            try {
                event = decoder.deserialize(topic, value);
            } catch (RuntimeException e) {
                if (RegistryOutage.isOutage(e)) {
                    throw e;
                }
                return;
            }
            if (event instanceof ExampleLosses losses) {
                visitor.accept(offset, PrimitiveArrays.ints(losses.getExampleIds()), PrimitiveArrays.floats(losses.getLosses()),
                        PrimitiveArrays.booleans(losses.getCorrect()), PrimitiveArrays.floats(losses.getEl2n()));
            }
        });
    }
}
