package io.upcycle.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.monitor.MonitorConfig;
import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.MonitorService;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two monitor instances of one application on two-partition inputs, one partition each: either
 * instance answers {@code /api/runs/{id}} for a run the other owns (forwarded to the owner's
 * {@code application.server}), and {@code /api/runs} lists the runs of both. The two share a
 * bearer token ({@code http.token}), which each sends its peer when it forwards.
 */
@ExtendWith(LocalStackExtension.class)
class MultiInstanceQueryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEPS = 5;
    private static final int EXAMPLES = 20;
    private static final String TOKEN = "shared-" + UUID.randomUUID();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldServeTheOtherInstancesRunAndListBothWhenTwoInstancesSplitThePartitions(StackEndpoints stack, @TempDir Path dir)
            throws Exception {
        // given inputs with two partitions and two runs whose keys land on different partitions
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        int partitions = PartitionedRuns.ensureInputPartitions(connection, 2);
        String prefix = "multi-" + UUID.randomUUID();
        List<String> runs = List.of(PartitionedRuns.runOnPartition(prefix, 0, partitions),
                PartitionedRuns.runOnPartition(prefix, 1, partitions));
        String application = "monitor-" + prefix;
        try (MonitorService a = start(connection, application, dir.resolve("a"));
             MonitorService b = start(connection, application, dir.resolve("b"));
             EventProducer producer = new EventProducer(connection)) {
            assertThat(a.awaitRunning(Duration.ofSeconds(60))).as("instance a running").isTrue();
            assertThat(b.awaitRunning(Duration.ofSeconds(60))).as("instance b running").isTrue();
            String urlA = a.dashboardUrl().orElseThrow();
            String urlB = b.dashboardUrl().orElseThrow();
            assertThat(urlA).startsWith("http://127.0.0.1:").isNotEqualTo(urlB);
            assertThat(urlB).startsWith("http://127.0.0.1:");

            // and both runs trained for a few steps, each held by a different instance once the group settled
            Topics topics = Topics.connect(connection);
            long t0 = System.currentTimeMillis();
            runs.forEach(run -> PartitionedRuns.train(producer, topics, run, EXAMPLES, STEPS, t0));
            Map<String, String> owners = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> owners(runs, urlA, urlB), o -> o.size() == 2 && !o.get(runs.get(0)).equals(o.get(runs.get(1))));
            String runOfA = owners.get(runs.get(0)).equals(urlA) ? runs.get(0) : runs.get(1);
            String runOfB = runOfA.equals(runs.get(0)) ? runs.get(1) : runs.get(0);

            // when each instance is asked for the run the other one owns
            HttpResponse<String> bsRunFromA = get(urlA, "api/runs/" + runOfB);
            HttpResponse<String> asRunFromB = get(urlB, "api/runs/" + runOfA);

            // then each answers 200 with that run in full, served by its owner
            assertRun(bsRunFromA, runOfB, urlB);
            assertRun(asRunFromB, runOfA, urlA);

            // and without the token neither answers
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(urlA + "api/runs")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);

            // and the run list of either instance holds both runs, its local scope only its own
            assertThat(runIds(get(urlA, "api/runs"))).contains(runOfA, runOfB);
            assertThat(runIds(get(urlB, "api/runs"))).contains(runOfA, runOfB);
            assertThat(runIds(get(urlA, "api/runs?" + RunQueries.LOCAL_SCOPE))).contains(runOfA).doesNotContain(runOfB);
            assertThat(runIds(get(urlB, "api/runs?" + RunQueries.LOCAL_SCOPE))).contains(runOfB).doesNotContain(runOfA);
        }
    }

    private static MonitorService start(KafkaConnection connection, String application, Path stateDir) {
        return MonitorService.start(MonitorConfig.from(Map.of(
                KafkaConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers(),
                KafkaConnection.REGISTRY_URL, connection.registryUrl(),
                MonitorConfigKeys.APPLICATION_ID, application,
                MonitorConfigKeys.STATE_DIR, stateDir.toString(),
                MonitorConfigKeys.TOPIC_PARTITIONS, "2",
                MonitorConfigKeys.HTTP_PORT, "0",
                MonitorConfigKeys.HTTP_TOKEN, TOKEN)));
    }

    /** Which instance's own stores hold each of {@code runs} at its last step (none while rebalancing). */
    private Map<String, String> owners(List<String> runs, String... urls) throws Exception {
        Map<String, String> owners = new HashMap<>();
        for (String url : urls) {
            HttpResponse<String> local = get(url, "api/runs?" + RunQueries.LOCAL_SCOPE);
            if (local.statusCode() != 200) {
                return Map.of();
            }
            for (JsonNode run : JSON.readTree(local.body())) {
                if (runs.contains(run.path("runId").asText()) && run.path("lastStep").asLong() == STEPS) {
                    owners.put(run.path("runId").asText(), url);
                }
            }
        }
        return owners;
    }

    private static void assertRun(HttpResponse<String> response, String run, String ownerUrl) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode detail = JSON.readTree(response.body());
        assertThat(detail.path("runId").asText()).isEqualTo(run);
        assertThat(detail.path("state").asText()).isEqualTo("running");
        assertThat(detail.path("lastStep").asLong()).isEqualTo(STEPS);
        assertThat(detail.path("stepsObserved").asLong()).isEqualTo(STEPS);
        assertThat(detail.path("curve").path("steps")).extracting(JsonNode::asLong).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(detail.path("servedBy").asText()).isEqualTo(ownerUrl.substring("http://".length(), ownerUrl.length() - 1));
    }

    private static List<String> runIds(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).findValuesAsText("runId");
    }

    private HttpResponse<String> get(String url, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + TOKEN)
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
