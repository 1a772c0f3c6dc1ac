package io.upcycle.schemas.serde;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;

/**
 * A hand-written Avro binary codec of one record type, for the hot records whose generic reading
 * would box every array element. It reads and writes exactly the bytes Avro's own reader and
 * writer do, and is used only when the writer's schema is this codec's schema (same parsing
 * fingerprint); any other writer schema goes through Avro's schema resolution as before.
 *
 * @param <T> the specific record type
 */
interface DirectCodec<T> {
    /** The one schema this codec reads and writes. */
    Schema schema();

    T read(Decoder in) throws IOException;

    void write(T value, Encoder out) throws IOException;
}
