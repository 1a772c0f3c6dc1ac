package io.upcycle.schemas.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaValidationException;
import org.apache.avro.SchemaValidatorBuilder;

/**
 * A registry held in memory, for topology unit tests and offline replays. It hands out ids like a
 * real registry and enforces FULL_TRANSITIVE / BACKWARD_TRANSITIVE with Avro's own validators.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    private final Map<Integer, Schema> schemas = new LinkedHashMap<>();
    private final Map<String, List<Integer>> versions = new LinkedHashMap<>();
    private final Map<String, String> levels = new LinkedHashMap<>();

    /** An empty registry. */
    public InMemorySchemaRegistryClient() {
    }

    /**
     * A registry that already knows {@code schemasById} under those ids (a recorded log's writer
     * schemas, say), so that recorded bytes decode as they did live; new schemas get ids above them.
     */
    public InMemorySchemaRegistryClient(Map<Integer, Schema> schemasById) {
        schemas.putAll(schemasById);
    }

    @Override
    public String baseUrl() {
        return "in-memory";
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Optional<Integer> known = lookup(subject, schema);
        if (known.isPresent()) {
            return known.get();
        }
        if (!isCompatible(subject, schema)) {
            throw new RegistryException("schema is incompatible with subject " + subject + " under "
                    + levels.get(subject), 409, 409, null);
        }
        int id = schemas.entrySet().stream().filter(e -> e.getValue().equals(schema)).map(Map.Entry::getKey)
                .findFirst().orElseGet(() -> addSchema(schema));
        versions.computeIfAbsent(subject, key -> new ArrayList<>()).add(id);
        return id;
    }

    private int addSchema(Schema schema) {
        int id = schemas.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        schemas.put(id, schema);
        return id;
    }

    @Override
    public synchronized Optional<Integer> lookup(String subject, Schema schema) {
        return versions.getOrDefault(subject, List.of()).stream().filter(id -> schemas.get(id).equals(schema)).findFirst();
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new RegistryException("schema " + id + " not found", 404, 40403, null);
        }
        return schema;
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Schema> existing = versions.getOrDefault(subject, List.of()).stream().map(schemas::get).toList();
        String level = levels.getOrDefault(subject, "NONE");
        SchemaValidatorBuilder builder = new SchemaValidatorBuilder();
        builder = switch (level) {
            case "FULL_TRANSITIVE", "FULL" -> builder.mutualReadStrategy();
            case "BACKWARD_TRANSITIVE", "BACKWARD" -> builder.canReadStrategy();
            case "FORWARD_TRANSITIVE", "FORWARD" -> builder.canBeReadStrategy();
            default -> null;
        };
        if (builder == null || existing.isEmpty()) {
            return true;
        }
        List<Schema> against = level.endsWith("TRANSITIVE") ? existing : List.of(existing.get(existing.size() - 1));
        try {
            builder.validateAll().validate(schema, against);
            return true;
        } catch (SchemaValidationException e) {
            return false;
        }
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        levels.put(subject, level);
    }

    @Override
    public synchronized Optional<String> compatibility(String subject) {
        return Optional.ofNullable(levels.get(subject));
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versions.keySet());
    }
}
