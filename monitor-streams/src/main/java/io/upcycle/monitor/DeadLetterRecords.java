package io.upcycle.monitor;

import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.registry.RegistryException;
import java.util.Arrays;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds the dead-letter record of the input record being processed, with its origin taken from
 * the processor context, and tells recoverable failures (the registry being down) from bad data.
 */
final class DeadLetterRecords {
    /** Raw values above this are cut, so that a dead letter always fits in a Kafka record. */
    static final int MAX_VALUE_BYTES = 256 * 1024;

    private DeadLetterRecords() {
    }

    /** The dead letter of the current input record, keyed by its raw key and stamped with its time. */
    static Record<Object, Object> of(ProcessorContext<?, ?> context, byte[] key, byte[] value, long timestamp,
                                     String stage, Throwable error, String application) {
        RecordMetadata origin = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("no input record metadata", error));
        byte[] kept = value != null && value.length > MAX_VALUE_BYTES ? Arrays.copyOf(value, MAX_VALUE_BYTES) : value;
        DeadLetter letter = DeadLetters.of(origin.topic(), origin.partition(), origin.offset(), timestamp, key, kept,
                stage, error, application);
        if (kept != value) {
            letter.setErrorMessage(letter.getErrorMessage() + " [value cut to " + MAX_VALUE_BYTES + " of " + value.length + " bytes]");
        }
        return new Record<>(key, letter, timestamp);
    }

    /**
     * Whether {@code error} comes from a registry that cannot be reached or failed on its side:
     * retrying later will work, so the record must not be dead-lettered.
     */
    static boolean isRegistryOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RegistryException registry) {
                return registry.status() < 0 || registry.status() >= 500;
            }
        }
        return false;
    }
}
