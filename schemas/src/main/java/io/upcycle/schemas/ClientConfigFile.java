package io.upcycle.schemas;

import io.upcycle.config.ConfigFile;
import io.upcycle.config.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * A client config file ({@code --client-config FILE}, as Kafka's own tools take one): Kafka client
 * settings under their own names ({@code security.protocol=SASL_SSL}, {@code sasl.jaas.config=...}),
 * and the registry's under the Confluent client's names ({@code basic.auth.user.info},
 * {@code bearer.auth.token}, {@code schema.registry.ssl.truststore.location}, ...). Properties or
 * YAML ({@link ConfigFile}). The file holds secrets: errors name its keys, never their values.
 *
 * @param kafka the Kafka client settings, checked ({@link ClientSettings})
 * @param registry the registry's settings, by the config keys of {@link KafkaConnection}
 */
public record ClientConfigFile(ClientSettings kafka, Map<String, String> registry) {
    /** No file. */
    public static final ClientConfigFile NONE = new ClientConfigFile(ClientSettings.NONE, Map.of());

    /** Confluent's names of the registry's settings, and the config keys they stand for. */
    private static final Map<String, String> REGISTRY_NAMES = Map.of(
            "basic.auth.user.info", KafkaConnection.REGISTRY_USER_INFO,
            KafkaConnection.REGISTRY_USER_INFO, KafkaConnection.REGISTRY_USER_INFO,
            "bearer.auth.token", KafkaConnection.REGISTRY_BEARER_TOKEN,
            KafkaConnection.REGISTRY_BEARER_TOKEN, KafkaConnection.REGISTRY_BEARER_TOKEN,
            KafkaConnection.REGISTRY_TRUSTSTORE_LOCATION, KafkaConnection.REGISTRY_TRUSTSTORE_LOCATION,
            KafkaConnection.REGISTRY_TRUSTSTORE_PASSWORD, KafkaConnection.REGISTRY_TRUSTSTORE_PASSWORD,
            KafkaConnection.REGISTRY_TRUSTSTORE_TYPE, KafkaConnection.REGISTRY_TRUSTSTORE_TYPE);
    /** Confluent's credential sources, and the one value of each this client supports. */
    private static final Map<String, String> SOURCES = Map.of(
            "basic.auth.credentials.source", "USER_INFO",
            "bearer.auth.credentials.source", "STATIC_TOKEN");

    /**
     * Reads {@code file}; a blank name is no file.
     *
     * @throws ConfigException naming {@code key} (the config key that named the file) when the file is missing,
     *     or the file and the setting when a setting is unknown, refused or invalid
     */
    public static ClientConfigFile read(String file, String key) {
        if (file == null || file.isBlank()) {
            return NONE;
        }
        Path path = Path.of(file.trim());
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(key, file, "no such file");
        }
        Map<String, String> kafka = new TreeMap<>();
        Map<String, String> registry = new TreeMap<>();
        String origin = key + " " + path + ": ";
        for (Map.Entry<String, String> entry : load(path, key).entrySet()) {
            String name = entry.getKey();
            String value = entry.getValue().trim();
            if (SOURCES.containsKey(name)) {
                if (!SOURCES.get(name).equalsIgnoreCase(value)) {
                    throw new ConfigException(origin + name, value, "this client supports " + SOURCES.get(name) + " only");
                }
            } else if (REGISTRY_NAMES.containsKey(name)) {
                registry.put(REGISTRY_NAMES.get(name), value);
            } else if (name.startsWith("schema.registry.") || name.startsWith("basic.auth.") || name.startsWith("bearer.auth.")) {
                throw new ConfigException(origin + name, Secrets.shown(name, value), "not a registry setting this client"
                        + " supports; it takes " + String.join(", ", new TreeMap<>(REGISTRY_NAMES).keySet())
                        + (name.equals(KafkaConnection.REGISTRY_URL) ? " (set schema.registry.url in the service's configuration)" : ""));
            } else {
                kafka.put(name, value);
            }
        }
        return new ClientConfigFile(ClientSettings.of(kafka, origin), registry);
    }

    private static Map<String, String> load(Path path, String key) {
        try {
            return ConfigFile.load(path);
        } catch (RuntimeException e) {
            throw new ConfigException(key, path.toString(), e.getMessage());
        }
    }
}
