package io.upcycle.schemas;

import io.upcycle.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;

/** Builds dead-letter records that keep the raw bytes and say where they came from and why. */
public final class DeadLetters {
    public static final String DESERIALIZATION = "deserialization";
    public static final String VALIDATION = "validation";
    public static final String PROCESSING = "processing";
    /**
     * Not a bad record: the record was valid and applied, but its step showed earlier steps of its run
     * missing from the log; the error message names them. Kept with the others so that one topic holds
     * everything an operator must look at.
     */
    public static final String MISSING_STEPS = "missing-steps";

    private DeadLetters() {
    }

    /** A dead letter for the record at {@code topic}/{@code partition}/{@code offset}. */
    public static DeadLetter of(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                                String stage, Throwable error, String application) {
        return of(topic, partition, offset, timestamp, key, value, stage, error.getClass().getName(),
                String.valueOf(error.getMessage()), application);
    }

    /** A dead letter for the record at {@code topic}/{@code partition}/{@code offset}, with what went wrong in words. */
    public static DeadLetter of(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                                String stage, String errorClass, String errorMessage, String application) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setSourceTimestamp(timestamp)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setStage(stage)
                .setErrorClass(errorClass)
                .setErrorMessage(errorMessage)
                .setApplication(application)
                .build();
    }
}
