package io.upcycle.stack;

import io.upcycle.files.UpcycleHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start {@link EmbeddedRegistry}.
 *
 * @param upcycleHome  folder holding {@code apicurio/<version>} (unpacked by the build) and {@code logs/}
 * @param kafkaSqlBootstrapServers when present, schemas are stored in that Kafka cluster (Apicurio's
 *                     {@code kafkasql} storage) and survive restarts; when empty, they live in memory
 * @param startTimeout how long to wait for the Confluent-compatible API to answer
 */
public record RegistryOptions(Path upcycleHome, Optional<String> kafkaSqlBootstrapServers, Duration startTimeout) {

    /** Default time to wait for the registry; it starts in 4-10 s on two cores. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    public RegistryOptions {
        Objects.requireNonNull(upcycleHome, "upcycleHome");
        Objects.requireNonNull(kafkaSqlBootstrapServers, "kafkaSqlBootstrapServers");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
        }
        kafkaSqlBootstrapServers.ifPresent(servers -> {
            if (servers.isBlank()) {
                throw new IllegalArgumentException("kafkaSqlBootstrapServers must not be blank");
            }
        });
    }

    /** In-memory storage, the upcycle home from {@link UpcycleHome#resolve()}, the default timeout. */
    public static RegistryOptions defaults() {
        return new RegistryOptions(UpcycleHome.resolve(), Optional.empty(), DEFAULT_START_TIMEOUT);
    }

    /** The same options with schemas kept in the Kafka cluster at {@code bootstrapServers}. */
    public RegistryOptions withKafkaSql(String bootstrapServers) {
        return new RegistryOptions(upcycleHome, Optional.of(bootstrapServers), startTimeout);
    }
}
