package io.upcycle.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.registry.RestSchemaRegistryClient;
import io.upcycle.schemas.registry.SchemaRegistryClient;
import io.upcycle.schemas.serde.WireFormat;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every event type through the real broker and the real registry: produced with
 * {@link EventProducer}, read back by a plain consumer, framed as Confluent's serdes would, with
 * subjects a Confluent client sees and topics that keep their data.
 */
@ExtendWith(LocalStackExtension.class)
class EventRoundTripIT {
    private static final long TIMESTAMP = 1_700_000_000_000L;

    private static KafkaConnection connection;
    private static Topics topics;
    private static final String KEY = "it-run-" + UUID.randomUUID();
    private static final List<Sent> SENT = new ArrayList<>();

    private record Sent(Topic<String, ? extends SpecificRecord> topic, SpecificRecord value, RecordMetadata metadata) {
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void produceOneEventOfEveryType(StackEndpoints stack) throws Exception {
        connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        topics = Topics.connect(connection);
        Topics.ensureCreated(connection, 3);
        Map<String, SpecificRecord> samples = SampleEvents.byTopic();
        try (EventProducer producer = new EventProducer(connection)) {
            for (Topic<String, ? extends SpecificRecord> topic : topics.all()) {
                List<SpecificRecord> values = topic.name().equals(Topics.RUNS)
                        ? List.of(SampleEvents.runStarted(), SampleEvents.runEnded())
                        : List.of(samples.get(topic.name()));
                for (SpecificRecord value : values) {
                    Topic<String, SpecificRecord> raw = (Topic<String, SpecificRecord>) topic;
                    SENT.add(new Sent(topic, value, producer.send(raw, KEY, value, TIMESTAMP).get(30, TimeUnit.SECONDS)));
                }
            }
        }
    }

    @Test
    void shouldReadBackEveryEventTypeWhenConsumedWithTheTopicSerdes() {
        // given the events produced above, on every topic
        assertThat(SENT).extracting(sent -> sent.topic().name()).containsAll(Topics.NAMES);
        for (Sent sent : SENT) {
            // when
            ConsumerRecord<String, ? extends SpecificRecord> record = TopicTail.readAt(connection, sent.metadata(),
                    sent.topic().keySerde().deserializer(), sent.topic().valueSerde().deserializer());

            // then
            assertThat(record.key()).as(sent.topic().name()).isEqualTo(KEY);
            assertThat(record.value()).as(sent.topic().name()).isEqualTo(sent.value());
            assertThat(record.timestamp()).isEqualTo(TIMESTAMP);
        }
    }

    @Test
    void shouldFrameEveryValueWithTheMagicByteAndARegistryIdOfItsClassSchema() {
        // given a client with empty caches, so every id really goes to the registry
        SchemaRegistryClient fresh = new RestSchemaRegistryClient(connection.registryUrl());
        for (Sent sent : SENT) {
            // when
            ConsumerRecord<byte[], byte[]> raw = TopicTail.readAt(connection, sent.metadata(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());

            // then
            assertThat(raw.value()[0]).as("magic byte on %s", sent.topic().name()).isEqualTo(WireFormat.MAGIC);
            int id = WireFormat.schemaId(sent.topic().name(), raw.value());
            assertThat(fresh.schemaById(id)).as("schema %d of %s", id, sent.topic().name())
                    .isEqualTo(sent.value().getSchema());
            assertThat(new StringDeserializer().deserialize(sent.topic().name(), raw.key())).isEqualTo(KEY);
        }
    }

    @Test
    void shouldListEveryValueSubjectWithFullTransitiveCompatibility() {
        // given
        SchemaRegistryClient fresh = new RestSchemaRegistryClient(connection.registryUrl());

        // when
        List<String> subjects = fresh.subjects();

        // then
        for (Topic<String, ? extends SpecificRecord> topic : topics.all()) {
            assertThat(subjects).contains(topic.valueSubject());
            assertThat(fresh.compatibility(topic.valueSubject())).as(topic.valueSubject()).contains("FULL_TRANSITIVE");
        }
    }

    @Test
    void shouldCreateTopicsThatKeepTheirDataForever() throws Exception {
        // given
        List<ConfigResource> resources = Topics.NAMES.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();

        // when
        Map<ConfigResource, Config> configs;
        try (Admin admin = Admin.create(connection.adminProperties())) {
            configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        }

        // then
        assertThat(configs).hasSize(Topics.NAMES.size());
        configs.forEach((resource, config) -> {
            Map<String, String> values = config.entries().stream()
                    .collect(Collectors.toMap(ConfigEntry::name, entry -> String.valueOf(entry.value())));
            assertThat(values).as(resource.name())
                    .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1")
                    .containsEntry(TopicConfig.RETENTION_BYTES_CONFIG, "-1")
                    .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).source()).as("set on %s itself", resource.name())
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        });
    }
}
