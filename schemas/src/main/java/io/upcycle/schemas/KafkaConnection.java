package io.upcycle.schemas;

import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where the Kafka cluster and the schema registry are, and the one place that sets the client
 * guarantees the house rules ask for: idempotent producers with acks=all, consumers that only
 * see committed records.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param registryUrl base URL of a Confluent-compatible registry API: a Confluent registry's
 *     root, or Apicurio's {@code .../apis/ccompat/v7}
 * @param outageWait how long a service waits out a broker or registry that is down before it fails,
 *     naming it (default {@link #DEFAULT_OUTAGE_WAIT})
 */
public record KafkaConnection(String bootstrapServers, String registryUrl, Duration outageWait) {
    /** Config key of {@link #bootstrapServers()}. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    /** Config key of {@link #registryUrl()}. */
    public static final String REGISTRY_URL = "schema.registry.url";
    /** Config key of {@link #outageWait()}, in milliseconds. */
    public static final String OUTAGE_WAIT_MS = "outage.wait.ms";
    /** The default of {@link #outageWait()}: ten minutes. */
    public static final Duration DEFAULT_OUTAGE_WAIT = Duration.ofMinutes(10);

    /** The default of {@link #BOOTSTRAP_SERVERS}: a broker on this machine. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    /** The default of {@link #REGISTRY_URL}: Apicurio's Confluent-compatible API on this machine. */
    public static final String DEFAULT_REGISTRY_URL = "http://127.0.0.1:8081/apis/ccompat/v7";

    /** Adds the keys every service connects with to {@code definition}. */
    public static ConfigDef define(ConfigDef definition) {
        return definition
                .define(BOOTSTRAP_SERVERS, ConfigDef.Type.STRING, DEFAULT_BOOTSTRAP_SERVERS, new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH, "Kafka bootstrap servers, host:port[,host:port].")
                .define(REGISTRY_URL, ConfigDef.Type.STRING, DEFAULT_REGISTRY_URL, new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH, "Base URL of a Confluent-compatible schema registry API (a Confluent registry's"
                                + " root, or Apicurio's .../apis/ccompat/v7).")
                .define(OUTAGE_WAIT_MS, ConfigDef.Type.LONG, DEFAULT_OUTAGE_WAIT.toMillis(), ConfigDef.Range.atLeast(1_000),
                        ConfigDef.Importance.LOW, "How long the service waits out a broker or schema registry that is down"
                                + " (retrying, logging what it waits for) before it fails naming it.");
    }

    /** The connection a parsed configuration names; a bad registry URL fails naming its key. */
    public static KafkaConnection from(AbstractConfig config) {
        String registry = config.getString(REGISTRY_URL);
        try {
            return new KafkaConnection(config.getString(BOOTSTRAP_SERVERS), registry, Duration.ofMillis(config.getLong(OUTAGE_WAIT_MS)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(REGISTRY_URL, registry, e.getMessage());
        }
    }

    /** A connection that waits out outages for {@link #DEFAULT_OUTAGE_WAIT}. */
    public KafkaConnection(String bootstrapServers, String registryUrl) {
        this(bootstrapServers, registryUrl, DEFAULT_OUTAGE_WAIT);
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
        try {
            URI uri = URI.create(registryUrl);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(REGISTRY_URL + " is not a valid http(s) URL: '" + registryUrl + "'", e);
        }
        registryUrl = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
    }

    /** Properties of an idempotent producer with acks=all; serializers are passed separately. */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
        return p;
    }

    /** Properties of a consumer that reads committed records only, from the start of a new group. */
    public Properties consumerProperties(String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** Properties of an admin client. */
    public Properties adminProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }
}
