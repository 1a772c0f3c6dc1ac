package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The live JSON API of a real monitor on the embedded broker and registry. */
@ExtendWith(LocalStackExtension.class)
class MonitorHttpApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldServeRunsAndAFullFidelityRunWithItsDecisionWhenARunIsDecided(StackEndpoints stack, @TempDir Path stateDir)
            throws Exception {
        String run = "api-" + UUID.randomUUID();
        try (LiveMonitor live = new LiveMonitor(stack, stateDir, "monitor-" + run)) {
            // given a monitor serving on 127.0.0.1 and a synthetic run of 40 steps (more than the 32-step signal window)
            assertThat(live.url).startsWith("http://127.0.0.1:");

            // when the run is trained and decided
            live.train(run, 40);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode r = runJson(live, run);
                return r != null && r.path("lastStep").asLong() == 40;
            });

            // then /api/runs lists it as decided with a summary of its decision
            HttpResponse<String> list = live.get("api/runs");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode summary = null;
            for (JsonNode r : JSON.readTree(list.body())) {
                if (r.path("runId").asText().equals(run)) {
                    summary = r;
                }
            }
            assertThat(summary).isNotNull();
            assertThat(summary.path("task").asText()).isEqualTo("fortune-lang-8");
            assertThat(summary.path("state").asText()).isEqualTo("decided");
            assertThat(summary.path("lastStep").asLong()).isEqualTo(40);
            assertThat(summary.path("signal").asDouble()).isEqualTo(0.98);
            assertThat(summary.path("decision").path("step").asLong()).isEqualTo(10);
            assertThat(summary.path("decision").path("checkpointStep").asLong()).isEqualTo(8);

            // and /api/runs/{id} holds every step's point, the checkpoints and the decision with its evidence
            JsonNode detail = runJson(live, run);
            JsonNode curve = detail.path("curve");
            assertThat(curve.path("points").asInt()).isEqualTo(40);
            assertThat(curve.path("steps")).hasSize(40);
            assertThat(curve.path("steps").get(0).asLong()).isEqualTo(1);
            assertThat(curve.path("steps").get(39).asLong()).isEqualTo(40);
            float[] step3 = LiveMonitor.lossValues(3);
            double mean3 = 0;
            for (float v : step3) {
                mean3 += v;
            }
            assertThat(curve.path("trainLoss").get(2).asDouble()).isCloseTo(mean3 / step3.length, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(curve.path("fullPassLoss").get(0).isNull()).isTrue();
            String signal = detail.path("signalName").asText();
            assertThat(curve.path("signals").path(signal)).hasSize(40);
            assertThat(curve.path("signals").path(signal).get(9).asDouble()).isEqualTo(0.98);
            assertThat(curve.path("signals").path(signal).get(0).asDouble()).isEqualTo(0.10);
            assertThat(detail.path("checkpoints")).extracting(c -> c.path("step").asLong()).containsExactly(4L, 8L);
            JsonNode decision = detail.path("decision");
            assertThat(decision.path("decidedAtStep").asLong()).isEqualTo(10);
            assertThat(decision.path("checkpointStep").asLong()).isEqualTo(8);
            assertThat(decision.path("checkpointSha256").asText()).isEqualTo(Events.sha256(8));
            assertThat(decision.path("policy").asText()).isEqualTo(detail.path("decision").path("policy").asText()).isNotEmpty();
            assertThat(decision.path("reason").asText()).contains("merge the checkpoint of step 8");
            assertThat(decision.path("signals").get(0).path("name").asText()).isEqualTo(signal);
            assertThat(decision.path("topHardExampleIds")).isNotEmpty();
            assertThat(detail.path("servedBy").asText()).isEqualTo(live.url.substring("http://".length(), live.url.length() - 1));

            // and an unknown run is a 404, the dashboard page is served at /
            assertThat(live.get("api/runs/no-such-run").statusCode()).isEqualTo(404);
            HttpResponse<String> page = live.get("");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"dashboard.js\">");
            assertThat(live.get("dashboard.js").body()).contains("setInterval(tick, 1000)");
        }
    }

    @Test
    void shouldShowARunWithLostStepsAsIncompleteAndDeadLetterTheGap(StackEndpoints stack, @TempDir Path stateDir)
            throws Exception {
        String run = "gap-" + UUID.randomUUID();
        try (LiveMonitor live = new LiveMonitor(stack, stateDir, "monitor-" + run)) {
            // when a run's losses of steps 5 and 6 never reach the broker
            live.train(run, 40, Set.of(5, 6));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode r = runJson(live, run);
                return r != null && r.path("lastStep").asLong() == 40 && !r.path("decision").isNull();
            });

            // then the API says the run is incomplete, and so does its decision
            JsonNode detail = runJson(live, run);
            assertThat(detail.path("incomplete").asBoolean()).isTrue();
            assertThat(detail.path("missingSteps").asLong()).isEqualTo(2);
            assertThat(detail.path("gaps").toString()).isEqualTo("[[5,6]]");
            assertThat(detail.path("decision").path("missingSteps").asLong()).isEqualTo(2);
            assertThat(detail.path("decision").path("reason").asText()).endsWith("incomplete log: steps 5-6 (2 missing) never arrived");
            // and the gap is in the dead-letter topic, with the record that showed it
            KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
            try (TopicTail<DeadLetter> letters = new TopicTail<>(connection, Topics.connect(connection).deadLetters())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> letters.values().stream().anyMatch(l -> key(l).equals(run)));
                assertThat(letters.values()).filteredOn(l -> key(l).equals(run)).singleElement().satisfies(l -> {
                    assertThat(l.getStage()).isEqualTo(DeadLetters.MISSING_STEPS);
                    assertThat(l.getSourceTopic()).isEqualTo(Topics.EXAMPLE_LOSSES);
                    assertThat(l.getErrorMessage()).contains("missing steps 5-6 (2 missing) before this record's step 7");
                });
            }
        }
    }

    private static String key(DeadLetter letter) {
        return letter.getKey() == null ? "" : StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString();
    }

    private static JsonNode runJson(LiveMonitor live, String run) throws Exception {
        HttpResponse<String> r = live.get("api/runs/" + run);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }
}
