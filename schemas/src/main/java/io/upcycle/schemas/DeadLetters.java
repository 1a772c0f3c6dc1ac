package io.upcycle.schemas;

import io.upcycle.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;

/** Builds dead-letter records that keep the raw bytes and say where they came from and why. */
public final class DeadLetters {
    public static final String DESERIALIZATION = "deserialization";
    public static final String VALIDATION = "validation";
    public static final String PROCESSING = "processing";

    private DeadLetters() {
    }

    /** A dead letter for the record at {@code topic}/{@code partition}/{@code offset}. */
    public static DeadLetter of(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                                String stage, Throwable error, String application) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setSourceTimestamp(timestamp)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setStage(stage)
                .setErrorClass(error.getClass().getName())
                .setErrorMessage(String.valueOf(error.getMessage()))
                .setApplication(application)
                .build();
    }
}
