package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.config.ConfigSpec;
import io.upcycle.config.ConfigValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {
    private static final ConfigSpec SPEC = ConfigSpec.of("tool", KafkaConnection.define(new ConfigDef()))
            .withPrefix(KafkaConnection.KAFKA_PREFIX, KafkaConnection.KAFKA_PREFIX_DOC);
    private static final String SECRET = "s3cr3t-Pa55";
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\""
            + SECRET + "\";";

    private static KafkaConnection connection(Map<String, String> values) {
        ConfigValues parsed = SPEC.parse(values);
        return KafkaConnection.from(parsed);
    }

    @Test
    void shouldGiveEveryClientTheSettingsItKnowsAndKeepTheGuarantees() {
        // given SASL_SSL settings under the kafka. prefix
        KafkaConnection c = connection(Map.of("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-256",
                "kafka.sasl.jaas.config", JAAS, "kafka.request.timeout.ms", "45000", "kafka.max.poll.records", "100"));

        // when / then every client gets the security settings
        Properties producer = c.producerProperties();
        Properties consumer = c.consumerProperties("g");
        Properties admin = c.adminProperties();
        for (Properties p : new Properties[] {producer, consumer, admin}) {
            assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                    .containsEntry("sasl.jaas.config", JAAS).containsEntry("request.timeout.ms", "45000");
        }
        // and only the settings that client knows
        assertThat(consumer).containsEntry("max.poll.records", "100");
        assertThat(producer).doesNotContainKey("max.poll.records");
        assertThat(admin).doesNotContainKey("max.poll.records");
        // and the guarantees stay
        assertThat(producer).containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        assertThat(consumer).containsEntry("isolation.level", "read_committed").containsEntry("group.id", "g");
        // and what is printed hides the secret
        assertThat(c.toString()).contains("SASL_SSL").doesNotContain(SECRET);
        assertThat(c.client().describeSecurity()).isEqualTo("security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-256");
    }

    @Test
    void shouldRefuseAnUnknownSettingNamingItAndTheClosestOneWithoutItsSecretValue() {
        assertThatThrownBy(() -> connection(Map.of("kafka.sasl.mechansim", "PLAIN")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.sasl.mechansim")
                .hasMessageContaining("did you mean 'sasl.mechanism'");
        assertThatThrownBy(() -> connection(Map.of("kafka.sasl.jaas.confg", JAAS)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.sasl.jaas.confg")
                .hasMessageNotContaining(SECRET).hasMessageContaining("[hidden]");
    }

    @Test
    void shouldRefuseTheSettingsTheGuaranteesRestOnAndInvalidValues() {
        assertThatThrownBy(() -> connection(Map.of("kafka.acks", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.acks").hasMessageContaining("acks=all");
        assertThatThrownBy(() -> connection(Map.of("kafka.bootstrap.servers", "elsewhere:9092")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("with the key bootstrap.servers");
        assertThatThrownBy(() -> connection(Map.of("kafka.security.protocol", "SASL_SSLL")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.security.protocol");
        assertThatThrownBy(() -> connection(Map.of("kafka.request.timeout.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.request.timeout.ms");
    }

    @Test
    void shouldReadAClientConfigFileOfKafkaAndRegistrySettingsUnderTheirOwnNames(@TempDir Path dir) throws Exception {
        // given a file as Kafka's tools and Confluent's clients take it
        Path file = dir.resolve("client.properties");
        Files.writeString(file, String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=" + JAAS,
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=reg-user:" + SECRET));

        // when a service names it, and overrides one setting with a kafka. key
        KafkaConnection c = connection(Map.of("client.config", file.toString(), "kafka.sasl.mechanism", "SCRAM-SHA-256"));

        // then the Kafka settings go to the clients, the key winning over the file
        assertThat(c.adminProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("sasl.jaas.config", JAAS);
        // and the registry gets basic auth
        assertThat(c.registry().authorization()).contains("Basic "
                + Base64.getEncoder().encodeToString(("reg-user:" + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(c.registry().describe()).isEqualTo("basic auth as reg-user");
        assertThat(c.registry().toString()).doesNotContain(SECRET);
    }

    @Test
    void shouldRefuseAMissingFileAndUnsupportedRegistrySettingsNamingThem(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> connection(Map.of("client.config", dir.resolve("nope.properties").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("client.config").hasMessageContaining("no such file");
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "basic.auth.credentials.source=SASL_INHERIT\n");
        assertThatThrownBy(() -> connection(Map.of("client.config", file.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.credentials.source")
                .hasMessageContaining("USER_INFO only").hasMessageContaining(file.toString());
        Files.writeString(file, "schema.registry.url=http://elsewhere\n");
        assertThatThrownBy(() -> connection(Map.of("client.config", file.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("in the service's configuration");
        Files.writeString(file, "sasl.jaas.confg=" + JAAS + "\n");
        assertThatThrownBy(() -> connection(Map.of("client.config", file.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sasl.jaas.confg").hasMessageNotContaining(SECRET);
    }

    @Test
    void shouldTakeRegistryCredentialsFromTheirKeysAndRefuseBadOnesWithoutShowingThem() {
        Map<String, String> bearer = new HashMap<>(Map.of("schema.registry.bearer.auth.token", SECRET));
        assertThat(connection(bearer).registry().authorization()).contains("Bearer " + SECRET);

        assertThatThrownBy(() -> connection(Map.of("schema.registry.basic.auth.user.info", SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.basic.auth.user.info")
                .hasMessageContaining("user:password").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> connection(Map.of("schema.registry.basic.auth.user.info", "u:" + SECRET,
                "schema.registry.bearer.auth.token", SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> connection(Map.of("schema.registry.url", "https://u:" + SECRET + "@registry:8081")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.basic.auth.user.info")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> connection(Map.of("schema.registry.ssl.truststore.location", "/nowhere/trust.p12")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.ssl.truststore.location")
                .hasMessageContaining("/nowhere/trust.p12");
    }

    @Test
    void shouldNeedNothingOnTheEmbeddedDefault() {
        KafkaConnection c = connection(Map.of());
        assertThat(c.client().isEmpty()).isTrue();
        assertThat(c.registry().authorization()).isEmpty();
        assertThat(c.producerProperties()).doesNotContainKey("security.protocol");
    }
}
