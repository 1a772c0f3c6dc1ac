package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same producer, topics and serdes against Kafka in a container (the image compose.yaml
 * runs), with the embedded registry. Skipped, with Testcontainers' reason, where no Docker engine
 * runs; everything else in the suite uses the in-process broker.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(LocalStackExtension.class)
class ContainerBrokerIT {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

    @Test
    void shouldRoundTripAnEventThroughKafkaInAContainer(StackEndpoints stack) {
        // given
        KafkaConnection connection = new KafkaConnection(KAFKA.getBootstrapServers(), stack.registryUrl());
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        StepMetrics sent = SampleEvents.stepMetrics();

        // when
        try (EventProducer producer = new EventProducer(connection)) {
            producer.send(topics.stepMetrics(), sent.getRunId(), sent, 1_000L);
        }

        // then
        try (KafkaConsumer<String, StepMetrics> consumer = new KafkaConsumer<>(connection.consumerProperties("container-it"),
                topics.stepMetrics().keySerde().deserializer(), topics.stepMetrics().valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.STEP_METRICS));
            StepMetrics received = null;
            for (int i = 0; i < 60 && received == null; i++) {
                for (ConsumerRecord<String, StepMetrics> record : consumer.poll(Duration.ofSeconds(1))) {
                    received = record.value();
                }
            }
            assertThat(received).isEqualTo(sent);
        }
    }
}
