package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.stack.EmbeddedKafka;
import io.upcycle.stack.SecureListener;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.BasicAuthProxy;
import io.upcycle.testing.LocalStackExtension;
import io.upcycle.testing.TestCertificates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client settings on real parts: a broker with a SASL_SSL listener (SCRAM users, a certificate
 * made for the test) and the registry behind an HTTPS proxy that wants basic auth. A connection
 * configured from one client config file, as a user writes it, produces and reads back through both;
 * a wrong password, a wrong registry login and a missing trust store each fail at once, naming what
 * refused, and never print the secret.
 */
@ExtendWith(LocalStackExtension.class)
class SecuredConnectionIT {
    private static final String KAFKA_PASSWORD = "alice-Secret-1";
    private static final String REGISTRY_PASSWORD = "registry-Secret-2";
    private static final String STORE_PASSWORD = "store-Secret-3";
    private static final String REGISTRY_TOKEN = "registry-Token-4";
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static TestCertificates certificates;
    private static EmbeddedKafka kafka;
    private static BasicAuthProxy registry;
    private static String registryUrl;

    @BeforeAll
    static void start(StackEndpoints stack) {
        certificates = TestCertificates.create(dir, STORE_PASSWORD);
        kafka = EmbeddedKafka.startTemporary(new SecureListener(certificates.keyStore(), STORE_PASSWORD));
        kafka.createScramUser("alice", KAFKA_PASSWORD, "SCRAM-SHA-256");
        URI upstream = URI.create(stack.registryUrl());
        registry = BasicAuthProxy.start(upstream.getScheme() + "://" + upstream.getAuthority(), certificates, "registry-user",
                REGISTRY_PASSWORD, REGISTRY_TOKEN);
        registryUrl = registry.origin() + upstream.getPath();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A client config file as the README shows it, with {@code kafkaPassword} and {@code registryLine}s. */
    static Path clientConfig(String name, String kafkaPassword, String... registryLines) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-256",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\""
                        + kafkaPassword + "\";",
                "ssl.truststore.location=" + certificates.trustStore(),
                "ssl.truststore.password=" + STORE_PASSWORD,
                "ssl.truststore.type=PKCS12"));
        lines.addAll(List.of(registryLines));
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    static String[] registryLogin(String password) {
        return new String[] {"basic.auth.credentials.source=USER_INFO", "basic.auth.user.info=registry-user:" + password,
                "schema.registry.ssl.truststore.location=" + certificates.trustStore(),
                "schema.registry.ssl.truststore.password=" + STORE_PASSWORD};
    }

    private static KafkaConnection connection(Path file) {
        return new KafkaConnection(kafka.secureBootstrapServers(), registryUrl, Duration.ofSeconds(20))
                .withClientConfig(ClientConfigFile.read(file.toString(), "--client-config"));
    }

    @Test
    void shouldProduceAndReadBackThroughTheSaslSslListenerAndTheAuthenticatedRegistry() throws Exception {
        // given a connection from a client config file with the broker's and the registry's credentials
        KafkaConnection connection = connection(clientConfig("good.properties", KAFKA_PASSWORD, registryLogin(REGISTRY_PASSWORD)));
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        String run = "secured-" + UUID.randomUUID();
        StepMetrics metrics = StepMetrics.newBuilder(SampleEvents.stepMetrics()).setRunId(run).build();
        int refusedBefore = registry.refused();

        // when a record is produced and the topic read back
        try (EventProducer producer = new EventProducer(connection)) {
            producer.prepare(List.of(topics.stepMetrics()));
            producer.send(topics.stepMetrics(), run, metrics, System.currentTimeMillis()).get();
        }
        List<ConsumerRecord<String, StepMetrics>> read = new ArrayList<>();
        TopicReader.readToEnd(connection, topics.stepMetrics(), Duration.ofMinutes(1), r -> {
            if (r.key().equals(run)) {
                read.add(r);
            }
        }, e -> { });

        // then it arrives, its schema registered and read through the proxy without one refusal
        assertThat(read).extracting(ConsumerRecord::value).containsExactly(metrics);
        assertThat(registry.refused()).isEqualTo(refusedBefore);
        // and nothing the connection prints holds a secret
        assertThat(connection.toString()).doesNotContain(KAFKA_PASSWORD, REGISTRY_PASSWORD, STORE_PASSWORD);
    }

    @Test
    void shouldReachTheRegistryWithABearerTokenToo() throws Exception {
        KafkaConnection connection = connection(clientConfig("bearer.properties", KAFKA_PASSWORD,
                "bearer.auth.credentials.source=STATIC_TOKEN", "bearer.auth.token=" + REGISTRY_TOKEN,
                "schema.registry.ssl.truststore.location=" + certificates.trustStore(),
                "schema.registry.ssl.truststore.password=" + STORE_PASSWORD));
        int refusedBefore = registry.refused();
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        try (EventProducer producer = new EventProducer(connection)) {
            producer.prepare(List.of(topics.stepMetrics()));
        }
        assertThat(registry.refused()).isEqualTo(refusedBefore);
        assertThat(connection.describe()).contains("a bearer token").doesNotContain(REGISTRY_TOKEN);
    }

    @Test
    void shouldFailAtOnceNamingTheListenerWhenTheKafkaPasswordIsWrong() throws Exception {
        KafkaConnection connection = connection(clientConfig("wrong-kafka.properties", "not-the-password",
                registryLogin(REGISTRY_PASSWORD)));
        long started = System.nanoTime();
        assertThatThrownBy(() -> Topics.ensureCreated(connection, 1))
                .isInstanceOf(AccessCheck.AccessRefused.class)
                .hasMessageContaining("listener at " + kafka.secureBootstrapServers())
                .hasMessageContaining("security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-256")
                .hasMessageContaining("Authentication failed")
                .hasMessageNotContaining("not-the-password");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAILS_WITHIN);
    }

    @Test
    void shouldFailAtOnceWhenTheRegistryRefusesTheLoginOrItsCertificateIsNotTrusted() throws Exception {
        KafkaConnection wrongLogin = connection(clientConfig("wrong-registry.properties", KAFKA_PASSWORD,
                registryLogin("not-the-registry-password")));
        assertThatThrownBy(() -> Topics.ensureCreated(wrongLogin, 1))
                .isInstanceOf(AccessCheck.AccessRefused.class)
                .hasMessageContaining(registryUrl).hasMessageContaining("refused basic auth as registry-user (HTTP 401")
                .hasMessageNotContaining("not-the-registry-password");

        KafkaConnection untrusted = connection(clientConfig("untrusted-registry.properties", KAFKA_PASSWORD,
                "basic.auth.user.info=registry-user:" + REGISTRY_PASSWORD));
        assertThatThrownBy(() -> Topics.ensureCreated(untrusted, 1))
                .isInstanceOf(AccessCheck.AccessRefused.class)
                .hasMessageContaining("TLS handshake with the schema registry at " + registryUrl)
                .hasMessageContaining("schema.registry.ssl.truststore.location")
                .hasMessageNotContaining(REGISTRY_PASSWORD);
    }
}
