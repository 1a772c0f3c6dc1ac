package io.upcycle.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The fault injector's broker and registry come back at the same address with the same data. */
class FaultInjectorIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldBringTheBrokerBackWithItsRecordsAndTheRegistryBackWithItsSchemaIds() throws Exception {
        try (FaultInjector stack = FaultInjector.start()) {
            String bootstrap = stack.endpoints().bootstrapServers();
            // given a record on the broker and a schema in the registry
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>("faults", "k", "before")).get();
            }
            String schema = "{\"schema\": \"{\\\"type\\\": \\\"record\\\", \\\"name\\\": \\\"R\\\", \\\"fields\\\": []}\"}";
            HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(URI.create(stack.endpoints().registryUrl()
                    + "/subjects/faults-value/versions")).header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(schema)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).isEqualTo(200);
            String id = registered.body().replaceAll("[^0-9]", "");

            // when both go down and come back
            stack.stopRegistry();
            assertThatThrownBy(() -> get(stack.endpoints().registryUrl() + "/schemas/ids/" + id)).isInstanceOf(IOException.class);
            stack.stopBroker();
            stack.startBroker();
            stack.startRegistry();

            // then the record and the schema are there at the same addresses, and the broker takes new records
            assertThat(get(stack.endpoints().registryUrl() + "/schemas/ids/" + id).statusCode()).isEqualTo(200);
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>("faults", "k", "after")).get();
            }
            assertThat(values(bootstrap)).containsExactly("before", "after");
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000),
                new StringSerializer(), new StringSerializer());
    }

    private static List<String> values(String bootstrap) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "faults-check", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("faults"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
