package io.upcycle.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * What Upcycle needs of a schema registry, in the terms of the Confluent Schema Registry API.
 * {@link RestSchemaRegistryClient} talks to a real registry (Confluent's, or Apicurio's
 * Confluent-compatible API); {@link InMemorySchemaRegistryClient} serves topology unit tests and
 * offline replays.
 */
public interface SchemaRegistryClient {
    /** Base URL of the registry, or a descriptive name for one that is not remote. */
    String baseUrl();

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} if it is registered under {@code subject}. */
    Optional<Integer> lookup(String subject, Schema schema);

    /** The writer schema with global id {@code id}. */
    Schema schemaById(int id);

    /** Whether {@code schema} may be registered under {@code subject} given its compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    /** Sets a subject's compatibility level, e.g. {@code FULL_TRANSITIVE}. */
    void setCompatibility(String subject, String level);

    /** A subject's compatibility level, if one is set for it. */
    Optional<String> compatibility(String subject);

    /** All subjects known to the registry. */
    List<String> subjects();
}
