package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.config.ConfiguredCommand;
import io.upcycle.monitor.policy.LearnedFractionPolicy;
import io.upcycle.schemas.avro.DecisionMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorConfigTest {
    private static Map<String, Object> required() {
        Map<String, Object> values = new HashMap<>();
        values.put("bootstrap.servers", "127.0.0.1:9092");
        values.put("schema.registry.url", "http://127.0.0.1:8080/apis/ccompat/v7");
        return values;
    }

    @Test
    void shouldFillInDefaultsAndRunExactlyOnceCommittingOnceASecond() {
        // when
        MonitorConfig config = MonitorConfig.from(required());
        Properties streams = config.streamsProperties();

        // then
        assertThat(config.applicationId()).isEqualTo("upcycle-monitor");
        assertThat(config.decisionMode()).isEqualTo(DecisionMode.ENFORCE);
        assertThat(config.policy()).isInstanceOf(LearnedFractionPolicy.class);
        assertThat(config.signalWindowSteps()).isEqualTo(32);
        assertThat(config.topHardExamples()).isEqualTo(10);
        assertThat(config.stateDir().toString()).endsWith("state/monitor");
        assertThat(config.stateInMemory()).isFalse();
        assertThat(MonitorConfig.from(with("state.store", "Memory")).stateInMemory()).isTrue();
        assertThat(streams).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000")
                .containsEntry("producer.transaction.timeout.ms", "10000")
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0")
                .containsEntry("producer.batch.size", Integer.toString(256 << 10))
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    }

    @Test
    void shouldKeepTransactionsOpenTwiceAsLongAsALongCommitInterval() {
        // when the commit interval is 60 s, which Kafka Streams refuses under its 10 s transaction timeout
        Properties streams = MonitorConfig.from(with("commit.interval.ms", "60000")).streamsProperties();

        // then
        assertThat(streams).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "60000")
                .containsEntry("producer.transaction.timeout.ms", "120000");
    }

    @Test
    void shouldLeaveTheProducerBatchSizeToAClientConfigThatSetsIt() {
        // when the client settings name a batch size
        Properties streams = MonitorConfig.from(with("kafka.batch.size", "65536")).streamsProperties();

        // then it reaches the producer, not ours
        assertThat(streams).containsEntry("batch.size", "65536").doesNotContainKey("producer.batch.size");
    }

    @Test
    void shouldPassPolicyParametersAndStreamsOverridesThrough() {
        // given
        Map<String, Object> values = required();
        values.put("policy.target.fraction", "0.95");
        values.put("decision.mode", "observe");
        values.put("streams.num.standby.replicas", "1");

        // when
        MonitorConfig config = MonitorConfig.from(values);

        // then
        assertThat(((LearnedFractionPolicy) config.policy()).targetFraction()).isEqualTo(0.95);
        assertThat(config.decisionMode()).isEqualTo(DecisionMode.OBSERVE);
        assertThat(config.streamsProperties()).containsEntry("num.standby.replicas", "1");
    }

    @Test
    void shouldReadTheSignalSettingsAndRefuseOverlappingSetsNamingTheKey() {
        // given
        Map<String, Object> values = required();
        values.put("signal.reference.step", "64");
        values.put("signal.hard.fraction", "0.2");
        values.put("signal.easy.plateau.steps", "4");

        // when
        MonitorConfig config = MonitorConfig.from(values);

        // then
        assertThat(config.signalSettings().referenceStep()).isEqualTo(64);
        assertThat(config.signalSettings().hardFraction()).isEqualTo(0.2);
        assertThat(config.signalSettings().easyFraction()).isEqualTo(0.5);
        assertThat(config.signalSettings().easyPlateauSteps()).isEqualTo(4);
        assertThat(MonitorConfig.from(required()).signalSettings())
                .isEqualTo(io.upcycle.monitor.tracking.SignalSettings.DEFAULTS);
        values.put("signal.easy.fraction", "0.9");
        assertThatThrownBy(() -> MonitorConfig.from(values)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("signal.easy.fraction");
        assertThatThrownBy(() -> MonitorConfig.from(with("signal.hard.fraction", "1.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("signal.hard.fraction");
        assertThatThrownBy(() -> MonitorConfig.from(with("policy.patience", "3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("policy.patience");
        Map<String, Object> plateau = with("policy.name", "plateau");
        plateau.put("policy.patience", "0");
        assertThatThrownBy(() -> MonitorConfig.from(plateau))
                .isInstanceOf(ConfigException.class).hasMessageContaining("policy.patience");
    }

    @Test
    void shouldNameTheKeyOfAMissingOrBadValue() {
        assertThatThrownBy(() -> MonitorConfig.from(with("bootstrap.servers", " "))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");

        assertThatThrownBy(() -> MonitorConfig.from(with("commit.interval.ms", "-5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("commit.interval.ms");
        assertThatThrownBy(() -> MonitorConfig.from(with("decision.mode", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("decision.mode");
        assertThatThrownBy(() -> MonitorConfig.from(with("policy.name", "hard-share")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("policy.name");
        assertThatThrownBy(() -> MonitorConfig.from(with("policy.target.fraction", "2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("policy.target.fraction");
        assertThatThrownBy(() -> MonitorConfig.from(with("schema.registry.url", "ftp://x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> MonitorConfig.from(with("state.store", "redis")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("state.store").hasMessageContaining("ROCKSDB");
        assertThatThrownBy(() -> MonitorConfig.from(with("comit.interval.ms", "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("comit.interval.ms")
                .hasMessageContaining("not a key of the monitor; did you mean 'commit.interval.ms'?");
    }

    @Test
    void shouldLetArgumentsInEveryFormOverrideTheConfigFile(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("monitor.properties");
        Files.writeString(file, "bootstrap.servers=a:1\nschema.registry.url=http://r:2\napplication.id=from-file\n");

        // when
        MonitorConfig config = MonitorConfig.from(ConfiguredCommand.parse(new MonitorCommand().withEnvironment(Map.of()),
                "--config", file.toString(), "--set", "application.id=from-set", "--application-id", "from-flag",
                "--decision-mode=OBSERVE", "--set", "policy.min.steps=3"));

        // then
        assertThat(config.connection().bootstrapServers()).isEqualTo("a:1");
        assertThat(config.applicationId()).isEqualTo("from-flag");
        assertThat(config.decisionMode()).isEqualTo(DecisionMode.OBSERVE);
        assertThat(config.policy().parameters()).containsEntry("min.steps", "3");
    }

    private static Map<String, Object> with(String key, String value) {
        Map<String, Object> values = required();
        values.put(key, value);
        return values;
    }
}
