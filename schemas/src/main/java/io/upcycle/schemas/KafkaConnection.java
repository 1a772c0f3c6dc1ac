package io.upcycle.schemas;

import io.upcycle.schemas.registry.RegistryAccess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Where the Kafka cluster and the schema registry are, how to reach them when they are secured,
 * and the one place that sets the client guarantees the house rules ask for: idempotent producers
 * with acks=all, consumers that only see committed records.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param registryUrl base URL of a Confluent-compatible registry API: a Confluent registry's
 *     root, or Apicurio's {@code .../apis/ccompat/v7}
 * @param outageWait how long a service waits out a broker or registry that is down before it fails,
 *     naming it (default {@link #DEFAULT_OUTAGE_WAIT})
 * @param client Kafka client settings every producer, consumer, admin client and Streams app gets
 *     ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}, timeouts)
 * @param registry the registry's credentials and trust
 */
public record KafkaConnection(String bootstrapServers, String registryUrl, Duration outageWait, ClientSettings client,
                              RegistryAccess registry) {
    /** Config key of {@link #bootstrapServers()}. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    /** Config key of {@link #registryUrl()}. */
    public static final String REGISTRY_URL = "schema.registry.url";
    /** Config key of {@link #outageWait()}, in milliseconds. */
    public static final String OUTAGE_WAIT_MS = "outage.wait.ms";
    /** Config key of a client config file: Kafka client settings and the registry's, as {@link ClientConfigFile} reads it. */
    public static final String CLIENT_CONFIG = "client.config";
    /** Open prefix of config keys that are Kafka client settings: {@code kafka.security.protocol=SASL_SSL}. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** What keys under {@link #KAFKA_PREFIX} do, for help texts. */
    public static final String KAFKA_PREFIX_DOC = "any Kafka client setting (security.protocol, ssl.*, sasl.*, timeouts) for every"
            + " producer, consumer, admin client and Streams app of the service, e.g. kafka.security.protocol=SASL_SSL;"
            + " overrides the client.config file";
    /** Config key: {@code user:password} for HTTP basic auth to the registry. */
    public static final String REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";
    /** Config key: a static bearer token for the registry. */
    public static final String REGISTRY_BEARER_TOKEN = "schema.registry.bearer.auth.token";
    /** Config key: a trust store for the registry's TLS certificate. */
    public static final String REGISTRY_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    /** Config key: the password of {@link #REGISTRY_TRUSTSTORE_LOCATION}. */
    public static final String REGISTRY_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    /** Config key: the type of {@link #REGISTRY_TRUSTSTORE_LOCATION}. */
    public static final String REGISTRY_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    /** The default of {@link #outageWait()}: ten minutes. */
    public static final Duration DEFAULT_OUTAGE_WAIT = Duration.ofMinutes(10);

    /** The default of {@link #BOOTSTRAP_SERVERS}: a broker on this machine. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    /** The default of {@link #REGISTRY_URL}: Apicurio's Confluent-compatible API on this machine. */
    public static final String DEFAULT_REGISTRY_URL = "http://127.0.0.1:8081/apis/ccompat/v7";

    /** Adds the keys every service connects with to {@code definition}; each service's spec also opens {@link #KAFKA_PREFIX}. */
    public static ConfigDef define(ConfigDef definition) {
        return definition
                .define(BOOTSTRAP_SERVERS, ConfigDef.Type.STRING, DEFAULT_BOOTSTRAP_SERVERS, new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH, "Kafka bootstrap servers, host:port[,host:port].")
                .define(REGISTRY_URL, ConfigDef.Type.STRING, DEFAULT_REGISTRY_URL, new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH, "Base URL of a Confluent-compatible schema registry API (a Confluent registry's"
                                + " root, or Apicurio's .../apis/ccompat/v7).")
                .define(OUTAGE_WAIT_MS, ConfigDef.Type.LONG, DEFAULT_OUTAGE_WAIT.toMillis(), ConfigDef.Range.atLeast(1_000),
                        ConfigDef.Importance.LOW, "How long the service waits out a broker or schema registry that is down"
                                + " (retrying, logging what it waits for) before it fails naming it.")
                .define(CLIENT_CONFIG, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM, "A file of Kafka client settings"
                        + " (security.protocol, ssl.*, sasl.*, timeouts), as Kafka's own tools take one, for every producer,"
                        + " consumer, admin client and Streams app of the service; it may also hold the registry's credentials"
                        + " under the Confluent client's names (basic.auth.user.info, bearer.auth.token,"
                        + " schema.registry.ssl.truststore.*). Properties or YAML.")
                .define(REGISTRY_USER_INFO, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM,
                        "user:password for HTTP basic auth to the schema registry (Confluent's basic.auth.user.info).")
                .define(REGISTRY_BEARER_TOKEN, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM,
                        "A static bearer token for the schema registry (Confluent's bearer.auth.token).")
                .define(REGISTRY_TRUSTSTORE_LOCATION, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                        "A trust store for the schema registry's TLS certificate (default: the JVM's trust).")
                .define(REGISTRY_TRUSTSTORE_PASSWORD, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.MEDIUM,
                        "The password of the registry's trust store.")
                .define(REGISTRY_TRUSTSTORE_TYPE, ConfigDef.Type.STRING, "PKCS12",
                        ConfigDef.CaseInsensitiveValidString.in("PKCS12", "JKS"), ConfigDef.Importance.LOW,
                        "The type of the registry's trust store.");
    }

    /**
     * The connection a parsed configuration names: its keys, the client config file's settings, and
     * the {@link #KAFKA_PREFIX} keys over those.
     *
     * @throws ConfigException naming the key (or the file and its setting) that is wrong; secrets hidden
     */
    public static KafkaConnection from(AbstractConfig config) {
        ClientConfigFile file = ClientConfigFile.read(config.getString(CLIENT_CONFIG), CLIENT_CONFIG);
        Map<String, String> prefixed = new TreeMap<>();
        config.originalsWithPrefix(KAFKA_PREFIX).forEach((key, value) -> prefixed.put(key, String.valueOf(value).trim()));
        ClientSettings client = file.kafka().with(ClientSettings.of(prefixed, KAFKA_PREFIX));
        Map<String, String> registry = new TreeMap<>(file.registry());
        for (String key : List.of(REGISTRY_USER_INFO, REGISTRY_BEARER_TOKEN, REGISTRY_TRUSTSTORE_LOCATION,
                REGISTRY_TRUSTSTORE_PASSWORD, REGISTRY_TRUSTSTORE_TYPE)) {
            if (config.originals().containsKey(key)) {
                Object value = config.values().get(key);
                registry.put(key, value instanceof Password secret ? secret.value() : String.valueOf(value));
            }
        }
        String url = config.getString(REGISTRY_URL);
        try {
            return new KafkaConnection(config.getString(BOOTSTRAP_SERVERS), url, Duration.ofMillis(config.getLong(OUTAGE_WAIT_MS)),
                    client, registryAccess(registry));
        } catch (IllegalArgumentException e) {
            // The constructor's messages start with the key they are about.
            String key = List.of(BOOTSTRAP_SERVERS, OUTAGE_WAIT_MS).stream().filter(e.getMessage()::startsWith).findFirst()
                    .orElse(REGISTRY_URL);
            Object value = key.equals(REGISTRY_URL) ? url.replaceFirst("//[^/@]*@", "//" + Password.HIDDEN + "@") : config.values().get(key);
            throw new ConfigException(key, value, e.getMessage());
        }
    }

    /** The registry access {@code values} (by config key) give; a trust store that cannot be read fails naming its key. */
    static RegistryAccess registryAccess(Map<String, String> values) {
        String location = values.getOrDefault(REGISTRY_TRUSTSTORE_LOCATION, "");
        RegistryAccess access;
        try {
            access = new RegistryAccess(password(values.get(REGISTRY_USER_INFO)), password(values.get(REGISTRY_BEARER_TOKEN)),
                    location.isBlank() ? null : Path.of(location.trim()), password(values.get(REGISTRY_TRUSTSTORE_PASSWORD)),
                    values.get(REGISTRY_TRUSTSTORE_TYPE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage().startsWith("basic") ? REGISTRY_USER_INFO : REGISTRY_BEARER_TOKEN,
                    Password.HIDDEN, e.getMessage());
        }
        try {
            access.sslContext();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(REGISTRY_TRUSTSTORE_LOCATION, location, e.getMessage());
        }
        return access;
    }

    private static Password password(String value) {
        return value == null || value.isEmpty() ? null : new Password(value);
    }

    /** A connection that waits out outages for {@link #DEFAULT_OUTAGE_WAIT}. */
    public KafkaConnection(String bootstrapServers, String registryUrl) {
        this(bootstrapServers, registryUrl, DEFAULT_OUTAGE_WAIT);
    }

    /** A connection to an open cluster and registry (no client settings, no credentials). */
    public KafkaConnection(String bootstrapServers, String registryUrl, Duration outageWait) {
        this(bootstrapServers, registryUrl, outageWait, ClientSettings.NONE, RegistryAccess.OPEN);
    }

    public KafkaConnection {
        if (outageWait == null || outageWait.toMillis() < 1_000) {
            throw new IllegalArgumentException(OUTAGE_WAIT_MS + " must be at least 1 s, was " + outageWait);
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " must be set (host:port[,host:port])");
        }
        if (registryUrl == null || registryUrl.isBlank()) {
            throw new IllegalArgumentException(REGISTRY_URL + " must be set (e.g. http://127.0.0.1:8081/apis/ccompat/v7)");
        }
        URI uri;
        try {
            uri = URI.create(registryUrl);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(REGISTRY_URL + " is not a valid http(s) URL: '" + registryUrl + "'", e);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(REGISTRY_URL + " holds credentials: give them as " + REGISTRY_USER_INFO
                    + ", which is never printed");
        }
        registryUrl = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
        client = client == null ? ClientSettings.NONE : client;
        registry = registry == null ? RegistryAccess.OPEN : registry;
    }

    /** Where and how this connects, for log lines: addresses, security protocol and mechanism, registry login; no secret. */
    public String describe() {
        return bootstrapServers + " (" + client.describeSecurity() + "), registry " + registryUrl + " (" + registry.describe() + ")";
    }

    /**
     * The config keys that give a service this connection: the addresses, the outage wait, each client
     * setting under {@link #KAFKA_PREFIX} and the registry's access. For services that a command starts
     * itself (the study's, the benchmarks'), so they connect as the command does.
     */
    public Map<String, String> configValues() {
        Map<String, String> values = new TreeMap<>();
        values.put(BOOTSTRAP_SERVERS, bootstrapServers);
        values.put(REGISTRY_URL, registryUrl);
        values.put(OUTAGE_WAIT_MS, Long.toString(outageWait.toMillis()));
        client.all().forEach((key, value) -> values.put(KAFKA_PREFIX + key, value));
        if (registry.userInfo() != null) {
            values.put(REGISTRY_USER_INFO, registry.userInfo().value());
        }
        if (registry.bearerToken() != null) {
            values.put(REGISTRY_BEARER_TOKEN, registry.bearerToken().value());
        }
        if (registry.trustStore() != null) {
            values.put(REGISTRY_TRUSTSTORE_LOCATION, registry.trustStore().toString());
            values.put(REGISTRY_TRUSTSTORE_TYPE, registry.trustStoreType());
            if (registry.trustStorePassword() != null) {
                values.put(REGISTRY_TRUSTSTORE_PASSWORD, registry.trustStorePassword().value());
            }
        }
        return values;
    }

    /** This connection with {@code file}'s client settings and registry access over its own (a command's {@code --client-config}). */
    public KafkaConnection withClientConfig(ClientConfigFile file) {
        return new KafkaConnection(bootstrapServers, registryUrl, outageWait, client.with(file.kafka()),
                file.registry().isEmpty() ? registry : registryAccess(file.registry()));
    }

    /** Properties of an idempotent producer with acks=all; serializers are passed separately. */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(client.producer()); // before the guarantees below; ClientSettings refuses the settings they set
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Batches of about a dozen training steps: on 2 cores this cut the publisher's CPU per step by
        // a third (README, trainer benchmark) for at most 25 ms more stop-decision latency.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "25");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        // A broker outage is ridden out in the producer's buffer, in order and without duplicates
        // (idempotence), for outage.wait.ms; only then does a record fail.
        long request = Math.min(30_000, outageWait.toMillis() / 2);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(request));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(outageWait.toMillis(), 25 + request)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Math.min(60_000, outageWait.toMillis())));
        client.producer().forEach((key, value) -> {
            if (key.endsWith(".timeout.ms") || key.equals(ProducerConfig.MAX_BLOCK_MS_CONFIG)) {
                p.put(key, value); // a deployment's own timeouts win over those derived from outage.wait.ms
            }
        });
        return p;
    }

    /** Properties of a consumer that reads committed records only, from the start of a new group. */
    public Properties consumerProperties(String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(client.consumer());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** Properties of an admin client. */
    public Properties adminProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(client.admin());
        return p;
    }
}
