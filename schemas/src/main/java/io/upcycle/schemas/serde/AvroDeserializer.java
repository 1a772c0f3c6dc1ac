package io.upcycle.schemas.serde;

import io.upcycle.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro into specific records, resolving the writer schema (fetched by id
 * from the registry) against this reader's schema, so old events replay into new classes.
 * Anything undecodable becomes a {@link SerializationException} that names the topic.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final Map<Integer, Reader<T>> readersById = new ConcurrentHashMap<>();

    /** Reads one record body. */
    private interface Reader<T> {
        T read(BinaryDecoder decoder) throws IOException;
    }

    public AvroDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
        this.registry = registry;
        this.readerSchema = readerSchema;
    }

    @Override
    public T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        int id = WireFormat.schemaId(topic, payload);
        try {
            Reader<T> reader = readersById.computeIfAbsent(id, this::readerFor);
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_BYTES,
                    payload.length - WireFormat.HEADER_BYTES, DECODER.get());
            DECODER.set(decoder);
            T value = reader.read(decoder);
            if (!decoder.isEnd()) {
                throw new IOException((payload.length - WireFormat.HEADER_BYTES) + " body bytes hold more than one "
                        + readerSchema.getName());
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode a " + readerSchema.getName() + " (schema id " + id
                    + ") from " + topic + ": " + e, e);
        }
    }

    /** A direct codec when the writer wrote exactly the reader's schema; Avro's schema resolution otherwise. */
    private Reader<T> readerFor(int id) {
        Schema writerSchema = registry.schemaById(id);
        if (SchemaNormalization.parsingFingerprint64(writerSchema) == SchemaNormalization.parsingFingerprint64(readerSchema)) {
            Optional<DirectCodec<T>> codec = DirectCodecs.forSchema(readerSchema);
            if (codec.isPresent()) {
                return codec.get()::read;
            }
        }
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema);
        return decoder -> reader.read(null, decoder);
    }
}
