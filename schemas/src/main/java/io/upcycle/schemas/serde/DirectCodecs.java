package io.upcycle.schemas.serde;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** The registry of {@link DirectCodec}s: a codec applies to a schema only if their parsing fingerprints match. */
final class DirectCodecs {
    private static final List<DirectCodec<?>> CODECS = List.of(new ExampleLossesCodec());

    private DirectCodecs() {
    }

    /** The codec that reads and writes exactly {@code schema}, if there is one. */
    @SuppressWarnings("unchecked")
    static <T> Optional<DirectCodec<T>> forSchema(Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        return CODECS.stream().filter(codec -> SchemaNormalization.parsingFingerprint64(codec.schema()) == fingerprint)
                .map(codec -> (DirectCodec<T>) codec).findFirst();
    }
}
