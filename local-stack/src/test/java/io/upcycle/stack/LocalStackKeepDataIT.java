package io.upcycle.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackKeepDataIT {

    private static final String SUBJECT = "kept-raw-value";
    private static final String SCHEMA_REQUEST =
            "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Kept\\\",\\\"fields\\\":"
                    + "[{\\\"name\\\":\\\"step\\\",\\\"type\\\":\\\"long\\\"}]}\"}";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    @Test
    void shouldKeepRecordsAndSchemaIdsWhenRestartedOnKeptData(@TempDir Path folder) throws Exception {
        // given a stack keeping its data, with one registered schema and one record
        LocalStackOptions options = LocalStackOptions.defaults().keepingDataIn(folder.resolve("kafka"));
        String schemaId;
        try (LocalStack first = LocalStack.start(options)) {
            HttpResponse<String> registered = Http.post(first.registryUrl() + "/subjects/" + SUBJECT + "/versions", SCHEMA_REQUEST);
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
            Matcher id = ID.matcher(registered.body());
            assertThat(id.find()).as(registered.body()).isTrue();
            schemaId = id.group(1);
            KafkaRoundTrip.produce(first.bootstrapServers(), "kept-raw", "run-1", "step 1");
        }

        // when a new stack starts on the same data
        try (LocalStack second = LocalStack.start(options)) {
            AtomicReference<HttpResponse<String>> schema = new AtomicReference<>();
            await("schema " + schemaId + " restored from the kafkasql journal").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        schema.set(Http.get(second.registryUrl() + "/schemas/ids/" + schemaId));
                        return schema.get().statusCode() == 200;
                    });
            var records = KafkaRoundTrip.readAll(second.bootstrapServers(), "kept-raw", 1, Duration.ofSeconds(30), "read_uncommitted");

            // then the schema answers under the same id, and the record is still there
            assertThat(schema.get().body()).contains("Kept").contains("step");
            assertThat(Http.get(second.registryUrl() + "/subjects").body()).contains(SUBJECT);
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("step 1");
        }
    }
}
