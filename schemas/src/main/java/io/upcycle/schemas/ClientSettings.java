package io.upcycle.schemas;

import io.upcycle.config.Secrets;
import io.upcycle.config.Suggestions;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The Kafka client settings a deployment adds to every producer, consumer, admin client and Streams
 * app of a service ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}, timeouts, ...): what a
 * secured cluster needs. Each setting must be one Kafka's producer, consumer or admin client knows,
 * with a value its type and validator accept; the settings through which Upcycle keeps its
 * guarantees ({@link #RESERVED}) are refused. Values of password settings ({@code sasl.jaas.config},
 * {@code ssl.*.password}) and of settings whose names say they are secret never appear in
 * {@link #toString()} or in an error.
 */
public final class ClientSettings {
    /** No settings: a cluster that needs none (the embedded stack). */
    public static final ClientSettings NONE = new ClientSettings(Map.of());

    /**
     * Settings a deployment may not change, and why: the broker address has its own key, the rest are
     * the delivery guarantees every service is built on (idempotent acks=all producers, consumers of
     * committed records that manage their own groups and offsets, typed serdes).
     */
    static final Map<String, String> RESERVED = Map.ofEntries(
            Map.entry("bootstrap.servers", "set it with the key bootstrap.servers"),
            Map.entry("acks", "producers always wait for all in-sync replicas (acks=all)"),
            Map.entry("enable.idempotence", "producers are always idempotent"),
            Map.entry("transactional.id", "the monitor's Streams app manages its transactions"),
            Map.entry("isolation.level", "consumers read committed records only"),
            Map.entry("group.id", "each service names its own consumer groups"),
            Map.entry("group.instance.id", "each service names its own consumer groups"),
            Map.entry("enable.auto.commit", "each service commits its own offsets"),
            Map.entry("auto.offset.reset", "readers start from the earliest record"),
            Map.entry("key.serializer", "Upcycle's serdes are fixed"),
            Map.entry("value.serializer", "Upcycle's serdes are fixed"),
            Map.entry("key.deserializer", "Upcycle's serdes are fixed"),
            Map.entry("value.deserializer", "Upcycle's serdes are fixed"));

    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final ConfigDef ADMIN = AdminClientConfig.configDef();

    private final Map<String, String> settings;

    private ClientSettings(Map<String, String> settings) {
        this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /**
     * The settings {@code given} names, each checked; {@code origin} is how an error names where a
     * key came from: the prefix of a config key ({@code kafka.}) or a file's description.
     *
     * @throws ConfigException naming the first setting that is unknown, reserved or invalid (a secret's value hidden)
     */
    public static ClientSettings of(Map<String, String> given, String origin) {
        for (Map.Entry<String, String> entry : given.entrySet()) {
            check(entry.getKey(), entry.getValue(), origin);
        }
        return given.isEmpty() ? NONE : new ClientSettings(given);
    }

    private static void check(String key, String value, String origin) {
        String named = origin + key;
        if (RESERVED.containsKey(key)) {
            throw new ConfigException(named, shown(key, value), "Upcycle does not let this Kafka client setting change: "
                    + RESERVED.get(key));
        }
        ConfigDef.ConfigKey definition = definition(key);
        if (definition == null) {
            Set<String> known = new TreeSet<>(PRODUCER.names());
            known.addAll(CONSUMER.names());
            known.addAll(ADMIN.names());
            String closest = Suggestions.closest(key, known);
            throw new ConfigException(named, shown(key, value), "not a setting of Kafka's producer, consumer or admin client"
                    + (closest == null ? "" : "; did you mean '" + closest + "'?"));
        }
        try {
            Object parsed = ConfigDef.parseType(key, value, definition.type);
            if (definition.validator != null) {
                definition.validator.ensureValid(key, parsed);
            }
        } catch (ConfigException e) {
            throw new ConfigException(named, shown(key, value), why(e, value));
        }
    }

    /** What Kafka said about a value, without the value itself when it might be a secret. */
    private static String why(ConfigException e, String value) {
        String message = String.valueOf(e.getMessage());
        return value.isEmpty() ? message : message.replace(value, Password.HIDDEN);
    }

    private static ConfigDef.ConfigKey definition(String key) {
        for (ConfigDef def : new ConfigDef[] {PRODUCER, CONSUMER, ADMIN}) {
            ConfigDef.ConfigKey found = def.configKeys().get(key);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Whether the value of setting {@code key} is a secret: a password type, or a name that says so. */
    public static boolean secret(String key) {
        ConfigDef.ConfigKey definition = definition(key);
        return definition != null && definition.type == ConfigDef.Type.PASSWORD || Secrets.named(key);
    }

    /** {@code value} as logs and errors may show it: hidden when {@code key} holds a secret. */
    public static String shown(String key, String value) {
        return secret(key) ? Password.HIDDEN : value;
    }

    /** These settings with {@code over}'s on top; both were checked when they were made, so nothing is checked again. */
    public ClientSettings with(ClientSettings over) {
        if (over.isEmpty() || isEmpty()) {
            return isEmpty() ? over : this;
        }
        Map<String, String> merged = new TreeMap<>(settings);
        merged.putAll(over.settings);
        return new ClientSettings(merged);
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }

    /** Every setting: what a Streams app takes (it passes each to the clients that know it). */
    public Map<String, String> all() {
        return settings;
    }

    /** The settings a producer knows. */
    public Map<String, String> producer() {
        return known(PRODUCER);
    }

    /** The settings a consumer knows. */
    public Map<String, String> consumer() {
        return known(CONSUMER);
    }

    /** The settings an admin client knows. */
    public Map<String, String> admin() {
        return known(ADMIN);
    }

    private Map<String, String> known(ConfigDef def) {
        Map<String, String> known = new HashMap<>();
        settings.forEach((key, value) -> {
            if (def.names().contains(key)) {
                known.put(key, value);
            }
        });
        return known;
    }

    /** How the client connects, for messages: its security protocol and SASL mechanism when set. */
    public String describeSecurity() {
        String protocol = settings.getOrDefault("security.protocol", "PLAINTEXT");
        String mechanism = settings.get("sasl.mechanism");
        return "security.protocol=" + protocol + (protocol.startsWith("SASL") ? ", sasl.mechanism=" + (mechanism == null
                ? "GSSAPI" : mechanism) : "");
    }

    /** The settings with every secret hidden. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        settings.forEach((key, value) -> shown.put(key, shown(key, value)));
        return shown.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientSettings that && settings.equals(that.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }
}
