package io.upcycle.schemas.serde;

import io.upcycle.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes of Avro specific records in Confluent's wire format, bound to one registry. */
public final class AvroSerde {
    private AvroSerde() {
    }

    /** A serde for records of {@code schema}; the subject gets the {@code compatibility} level. */
    public static <T extends SpecificRecord> Serde<T> of(SchemaRegistryClient registry, Schema schema, String compatibility) {
        return Serdes.serdeFrom(new AvroSerializer<>(registry, schema, compatibility), new AvroDeserializer<>(registry, schema));
    }
}
