package io.upcycle.monitor.audit;

import io.upcycle.schemas.registry.RegistryException;
import io.upcycle.schemas.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The registry of an offline replay: the log file's writer schemas under their original ids, so the
 * recorded bytes decode exactly as they did live, and an unknown id answers 404 as the live registry
 * did. Schemas the topology's own outputs register get fresh ids above the file's.
 */
final class ReplayRegistry implements SchemaRegistryClient {
    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<String, List<Integer>> subjects = new HashMap<>();
    private final Map<String, String> levels = new HashMap<>();

    ReplayRegistry(Map<Integer, Schema> schemas) {
        byId.putAll(schemas);
    }

    @Override
    public String baseUrl() {
        return "replay";
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Optional<Integer> known = byId.entrySet().stream().filter(e -> e.getValue().equals(schema)).map(Map.Entry::getKey).findFirst();
        int id = known.orElseGet(() -> {
            int next = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            byId.put(next, schema);
            return next;
        });
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized Optional<Integer> lookup(String subject, Schema schema) {
        return subjects.getOrDefault(subject, List.of()).stream().filter(id -> byId.get(id).equals(schema)).findFirst();
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new RegistryException("schema " + id + " not found", 404, 40403, null);
        }
        return schema;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
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
        return List.copyOf(subjects.keySet());
    }
}
