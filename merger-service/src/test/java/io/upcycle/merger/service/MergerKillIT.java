package io.upcycle.merger.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.upcycle.files.Sha256;
import io.upcycle.merger.TinyExperts;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.MergeRequested;
import io.upcycle.testing.FaultInjector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A merger JVM killed with SIGKILL in the middle of a plan's merges (its log shows the plan fired and
 * no merge after it), and started again: every plan and method has exactly one MergeCompleted, and
 * each output file's sha256 is the one its event and its card name.
 */
class MergerKillIT {
    private static final Logger LOG = LoggerFactory.getLogger(MergerKillIT.class);
    private static final int PLANS = 120;
    private static final List<String> METHODS = List.of("task_arithmetic", "ties");
    private static final long SEED = 19L;

    /** Whether the merger's log ends inside a plan's firing: a plan fired, and no merge was logged after it. */
    private static boolean firingNow(String log) {
        return log.lastIndexOf("fires with runs") > log.lastIndexOf(" merged with ");
    }

    @Test
    void shouldPublishOneMergePerPlanAndMethodWhenKilledMidMergeAndRestarted(@TempDir Path dir) throws Exception {
        try (FaultInjector stack = FaultInjector.start()) {
            // given two decided runs and 120 plans of two methods each on the topics
            KafkaConnection connection = new KafkaConnection(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl());
            Topics.ensureCreated(connection, 1);
            Topics topics = Topics.connect(connection);
            List<String> runs = List.of("run-a", "run-b");
            TinyExperts fixture = new TinyExperts(new CheckpointStore(dir), SEED, runs);
            MergePlan base = fixture.plan("unused");
            List<String> plans = IntStream.range(0, PLANS).mapToObj(i -> String.format("plan-%03d", i)).toList();
            try (EventProducer producer = new EventProducer(connection)) {
                runs.forEach(run -> producer.send(topics.stopDecisions(), run, fixture.decision(run), System.currentTimeMillis()));
                for (String plan : plans) {
                    producer.send(topics.mergePlans(), plan, MergeRequested.newBuilder().setPlanId(plan).setRunIds(runs)
                            .setMethods(METHODS).setBaseUri(base.baseUri()).setBaseSha256(base.baseSha256()).build(),
                            System.currentTimeMillis());
                }
                producer.flush();
            }
            List<String> args = List.of(connection.bootstrapServers(), connection.registryUrl(), dir.toString(), Long.toString(SEED),
                    String.join(",", runs), String.join(",", plans));
            try (TopicTail<MergeCompleted> results = new TopicTail<>(connection, topics.mergeResults())) {
                // when the merger is killed after a plan fired and before its merges were logged, up to three times
                int midMerge = 0;
                for (int attempt = 1; attempt <= 3 && midMerge == 0; attempt++) {
                    Path log = dir.resolve("killed-" + attempt + ".log");
                    int before = results.readToEnd().size();
                    Process child = MergerChild.start(args, log);
                    try {
                        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                                .until(() -> !child.isAlive() || results.values().size() >= before + 20);
                        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(1))
                                .until(() -> !child.isAlive() || firingNow(Files.readString(log)));
                        child.destroyForcibly();
                        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    } finally {
                        child.destroyForcibly();
                    }
                    assertThat(child.exitValue()).as("killed by SIGKILL; log %s", log).isEqualTo(137);
                    if (firingNow(Files.readString(log))) {
                        midMerge++;
                    }
                    LOG.info("kill {}: {} of {} merges published, {}", attempt, results.readToEnd().size(), PLANS * METHODS.size(),
                            midMerge > 0 ? "in the middle of a plan's merges" : "between merges");
                }
                assertThat(midMerge).as("a kill landed after a plan fired and before its merges were done").isEqualTo(1);
                assertThat(results.readToEnd().size()).as("killed mid-work").isLessThan(PLANS * METHODS.size());
                // and started again until every plan fired
                Process second = MergerChild.start(args, dir.resolve("second.log"));
                try {
                    assertThat(second.waitFor(3, TimeUnit.MINUTES)).isTrue();
                } finally {
                    second.destroyForcibly();
                }
                assertThat(second.exitValue()).as("exit of the restarted merger; log %s", dir.resolve("second.log")).isZero();

                // then every plan and method has exactly one MergeCompleted
                List<MergeCompleted> all = results.readToEnd();
                Map<String, Long> perPlanAndMethod = all.stream().collect(Collectors.groupingBy(
                        m -> m.getPlanId() + "/" + m.getMethod(), Collectors.counting()));
                assertThat(perPlanAndMethod).hasSize(PLANS * METHODS.size()).allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1));
                // and each output's sha256 is what its event and its card say
                ObjectMapper json = new ObjectMapper();
                Map<String, MergeCompleted> byId = all.stream().collect(Collectors.toMap(MergeCompleted::getMergeId, Function.identity()));
                for (MergeCompleted merge : byId.values()) {
                    Path output = CheckpointStore.toPath(merge.getOutputUri());
                    assertThat(Sha256.of(output)).as(merge.getMergeId()).isEqualTo(merge.getOutputSha256());
                    JsonNode card = json.readTree(output.resolveSibling(merge.getMergeId() + ".json").toFile());
                    assertThat(card.path("output").path("sha256").asText()).isEqualTo(merge.getOutputSha256());
                }
            }
        }
    }
}
