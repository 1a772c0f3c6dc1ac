package io.upcycle.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte 0, the writer schema's 4-byte big-endian registry id, then
 * the Avro binary body.
 */
public final class WireFormat {
    public static final byte MAGIC = 0;
    public static final int HEADER_BYTES = 5;

    private WireFormat() {
    }

    /** The schema id of a framed payload; refuses anything that is not Confluent-framed. */
    public static int schemaId(String topic, byte[] payload) {
        if (payload.length < HEADER_BYTES) {
            throw new SerializationException("record on " + topic + " has " + payload.length
                    + " bytes, fewer than the 5-byte Confluent header");
        }
        if (payload[0] != MAGIC) {
            throw new SerializationException("record on " + topic + " starts with byte " + payload[0]
                    + ", not the Confluent magic byte 0");
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    /** Writes the 5-byte header for {@code schemaId} into {@code target}. */
    public static void writeHeader(ByteBuffer target, int schemaId) {
        target.put(MAGIC).putInt(schemaId);
    }
}
