package io.upcycle.monitor;

import io.upcycle.monitor.state.StepGaps;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.avro.DeadLetter;
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
        return of(context, key, value, timestamp, stage, error.getClass().getName(), String.valueOf(error.getMessage()),
                application, error);
    }

    /**
     * The record that showed steps of its run missing: it was applied; its dead letter names the gap,
     * for whoever watches the dead-letter topic.
     */
    static Record<Object, Object> missingSteps(ProcessorContext<?, ?> context, byte[] key, byte[] value, long timestamp,
                                               String runId, StepGaps.Range gap, String application) {
        String message = "run '" + runId + "' is missing step" + (gap.size() == 1 ? " " : "s ") + gap + " (" + gap.size()
                + " missing) before this record's step " + (gap.last() + 1) + "; the record was applied and the run is"
                + " marked incomplete";
        return of(context, key, value, timestamp, DeadLetters.MISSING_STEPS, "MissingSteps", message, application, null);
    }

    private static Record<Object, Object> of(ProcessorContext<?, ?> context, byte[] key, byte[] value, long timestamp,
                                             String stage, String errorClass, String errorMessage, String application,
                                             Throwable error) {
        RecordMetadata origin = context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("no input record metadata", error));
        byte[] kept = value != null && value.length > MAX_VALUE_BYTES ? Arrays.copyOf(value, MAX_VALUE_BYTES) : value;
        DeadLetter letter = DeadLetters.of(origin.topic(), origin.partition(), origin.offset(), timestamp, key, kept,
                stage, errorClass, errorMessage, application);
        if (kept != value) {
            letter.setErrorMessage(letter.getErrorMessage() + " [value cut to " + MAX_VALUE_BYTES + " of " + value.length + " bytes]");
        }
        return new Record<>(key, letter, timestamp);
    }
}
