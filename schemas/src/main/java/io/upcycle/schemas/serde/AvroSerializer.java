package io.upcycle.schemas.serde;

import io.upcycle.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in Confluent's wire format. The schema is registered under
 * {@code <topic>-value} on first use, and the subject gets the configured compatibility level.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final Writer<T> writer;
    private final String compatibility;
    private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();

    public AvroSerializer(SchemaRegistryClient registry, Schema schema, String compatibility) {
        this.registry = registry;
        this.schema = schema;
        this.writer = writerFor(schema);
        this.compatibility = compatibility;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        int id = schemaId(topic);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_BYTES);
        WireFormat.writeHeader(header, id);
        out.write(header.array(), 0, WireFormat.HEADER_BYTES);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODER.get());
            ENCODER.set(encoder);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getName() + " for " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * The registry id of this schema under {@code <topic>-value}, registered (and the subject's
     * compatibility set) on the first call for the topic and cached after that.
     */
    public int schemaId(String topic) {
        return idsByTopic.computeIfAbsent(topic, this::registerFor);
    }

    /** Writes one record body. */
    private interface Writer<T> {
        void write(T value, BinaryEncoder encoder) throws IOException;
    }

    private static <T> Writer<T> writerFor(Schema schema) {
        Optional<DirectCodec<T>> codec = DirectCodecs.forSchema(schema);
        if (codec.isPresent()) {
            return codec.get()::write;
        }
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema);
        return writer::write;
    }

    private int registerFor(String topic) {
        String subject = topic + "-value";
        int id = registry.register(subject, schema);
        if (!registry.compatibility(subject).map(compatibility::equals).orElse(false)) {
            registry.setCompatibility(subject, compatibility);
        }
        return id;
    }
}
