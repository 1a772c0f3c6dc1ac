package io.upcycle.monitor.curve;

import io.upcycle.schemas.avro.StopDecision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The {@code run-decision} store's values: a run's {@link StopDecision} as plain Avro binary in
 * this build's schema, without the schema registry, so that the store works wherever the topology
 * runs (tests, replays). The store is derived state: after a schema change that breaks this
 * format, reset the application and the store is rebuilt from the input topics.
 */
public final class DecisionSerde implements Serde<StopDecision>, Serializer<StopDecision>, Deserializer<StopDecision> {
    @Override
    public byte[] serialize(String topic, StopDecision decision) {
        if (decision == null) {
            return null;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<>(StopDecision.class).write(decision, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("cannot write decision " + decision.getDecisionId(), e);
        }
    }

    @Override
    public StopDecision deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return new SpecificDatumReader<>(StopDecision.class).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read a stored decision of " + bytes.length + " bytes", e);
        }
    }

    @Override
    public Serializer<StopDecision> serializer() {
        return this;
    }

    @Override
    public Deserializer<StopDecision> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing to release
    }
}
