package io.upcycle.stack;

import java.util.Objects;

/**
 * Where clients reach a running stack, whoever runs it (in-process broker, a container, or an
 * external cluster).
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param registryUrl      base URL of a Confluent-compatible schema registry API
 */
public record StackEndpoints(String bootstrapServers, String registryUrl) {

    public StackEndpoints {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
    }
}
