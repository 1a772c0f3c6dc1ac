package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class KafkaBrokerPropertiesTest {

    @Test
    void shouldBeAValidSingleNodeConfigListeningOnLoopbackOnly() {
        // given the properties for ports 9092 (broker) and 9093 (controller)
        var properties = KafkaBrokerProperties.of(Path.of("/tmp/kafka-logs"), 9092, 9093);

        // when Kafka parses and validates them
        KafkaConfig config = KafkaConfig.fromProps(properties, false);

        // then every listener is on 127.0.0.1 and internal topics need one replica
        assertThat(config.getList("listeners"))
                .containsExactlyInAnyOrder("PLAINTEXT://127.0.0.1:9092", "CONTROLLER://127.0.0.1:9093");
        assertThat(config.getList("advertised.listeners")).containsExactly("PLAINTEXT://127.0.0.1:9092");
        assertThat(config.getShort("offsets.topic.replication.factor")).isEqualTo((short) 1);
        assertThat(config.getShort("transaction.state.log.replication.factor")).isEqualTo((short) 1);
        assertThat(config.getInt("transaction.state.log.min.isr")).isEqualTo(1);
        assertThat(config.getShort("share.coordinator.state.topic.replication.factor")).isEqualTo((short) 1);
        assertThat(config.getInt("group.initial.rebalance.delay.ms")).isZero();
        assertThat(config.getLong("log.retention.ms")).isEqualTo(-1L);
    }
}
