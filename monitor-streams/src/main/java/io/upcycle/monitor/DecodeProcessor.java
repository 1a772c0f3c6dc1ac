package io.upcycle.monitor;

import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.RunIds;
import io.upcycle.schemas.registry.RegistryOutage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes the raw records of one input topic. A record whose key is not a UTF-8 run id of at most
 * {@link RunIds#MAX_LENGTH} characters or whose
 * value cannot be decoded goes to the dead-letter topic with its origin and bytes; the others go
 * on to the run monitor with their bytes attached. A registry outage is never a dead letter: a
 * short one is waited out in place ({@link #IN_PLACE_WAITS}: under 4 s, well inside the transaction
 * timeout), a longer one is rethrown, and the stream thread is replaced and the record retried
 * ({@link ThreadFailureHandler}), since the data itself is fine.
 */
final class DecodeProcessor implements Processor<byte[], byte[], Object, Object> {
    /** Pauses before decoding again while the registry is down, before giving up on the thread. */
    static final long[] IN_PLACE_WAITS = {250, 500, 1000, 2000};

    private final Deserializer<?> deserializer;
    private final String application;
    private ProcessorContext<Object, Object> context;

    DecodeProcessor(Deserializer<?> deserializer, String application) {
        this.deserializer = deserializer;
        this.application = application;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String runId;
        Object event;
        try {
            runId = runId(record.key());
            if (record.value() == null) {
                throw new SerializationException("record of run '" + runId + "' has no value");
            }
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
            event = decode(topic, record.value());
        } catch (RuntimeException e) {
            if (RegistryOutage.isOutage(e)) {
                throw e;
            }
            context.forward(DeadLetterRecords.of(context, record.key(), record.value(), record.timestamp(),
                    DeadLetters.DESERIALIZATION, e, application), TopologyNames.DEAD_LETTERS_SINK);
            return;
        }
        context.forward(new Record<Object, Object>(runId, new InboundEvent(event, record.key(), record.value()),
                record.timestamp(), record.headers()), TopologyNames.RUN_MONITOR);
    }

    /** Decodes {@code value}, waiting out a short registry outage; a longer one is thrown. */
    private Object decode(String topic, byte[] value) {
        for (int attempt = 0; ; attempt++) {
            try {
                return deserializer.deserialize(topic, value);
            } catch (RuntimeException e) {
                if (!RegistryOutage.isOutage(e) || attempt == IN_PLACE_WAITS.length) {
                    throw e;
                }
                try {
                    Thread.sleep(IN_PLACE_WAITS[attempt]);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static String runId(byte[] key) {
        if (key == null || key.length == 0) {
            throw new SerializationException("record has no key; every input record is keyed by its run id");
        }
        if (key.length > 4 * RunIds.MAX_LENGTH) { // refused before decoding: a UTF-8 character is at most 4 bytes
            throw new SerializationException("record key has " + key.length + " bytes, more than a run id of "
                    + RunIds.MAX_LENGTH + " characters can take");
        }
        String runId;
        try {
            runId = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new SerializationException("record key is not a UTF-8 run id: " + e, e);
        }
        String problem = RunIds.lengthProblem(runId);
        if (problem != null) {
            throw new SerializationException("record key is not a run id: " + problem);
        }
        return runId;
    }
}
