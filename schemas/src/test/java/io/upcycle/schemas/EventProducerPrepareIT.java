package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.schemas.registry.RestSchemaRegistryClient;
import io.upcycle.schemas.registry.SchemaRegistryClient;
import io.upcycle.schemas.serde.AvroSerde;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EventProducer#prepare}: the registry work of a first send, done before any send, against the real stack. */
@ExtendWith(LocalStackExtension.class)
class EventProducerPrepareIT {

    @Test
    void shouldRegisterTheValueSchemaAndItsCompatibilityBeforeAnythingIsSent(StackEndpoints stack) {
        // given a topic nobody has written to yet
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        String name = "it-prepare-" + UUID.randomUUID();
        TopicAdmin.ensureCreated(connection, List.of(name), 1);
        SchemaRegistryClient registry = new RestSchemaRegistryClient(connection.registryUrl());
        Topic<String, StepMetrics> topic = new Topic<>(name, Serdes.String(),
                AvroSerde.of(registry, StepMetrics.getClassSchema(), Topics.COMPATIBILITY));
        assertThat(registry.subjects()).doesNotContain(topic.valueSubject());

        // when the producer gets ready for it
        try (EventProducer producer = new EventProducer(connection)) {
            producer.prepare(List.of(topic));
        }

        // then the subject exists with the configured compatibility, before any record was sent
        assertThat(registry.subjects()).contains(topic.valueSubject());
        assertThat(registry.compatibility(topic.valueSubject())).contains(Topics.COMPATIBILITY);
    }

    @Test
    void shouldFailNamingTheRegistryWhenItCannotBeReached(StackEndpoints stack) {
        // given a registry address where nothing listens
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), "http://127.0.0.1:9");
        Topics topics = Topics.connect(connection);
        Topics.ensureCreated(connection, 1);

        // when / then the failure comes from prepare, not from a later send
        try (EventProducer producer = new EventProducer(connection)) {
            assertThatThrownBy(() -> producer.prepare(List.of(topics.stepMetrics())))
                    .hasMessageContaining("http://127.0.0.1:9");
        }
    }
}
