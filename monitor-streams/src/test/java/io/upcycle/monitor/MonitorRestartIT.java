package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.FaultInjector;
import io.upcycle.testing.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor in a child JVM, killed with SIGKILL while runs are still being published and
 * restarted with the same application id and state folder: every run gets exactly one stop
 * decision on the topic (read_committed), the same one, field for field, as an uninterrupted
 * monitor (the same topology in a test driver) makes on the same input.
 */
@ExtendWith(LocalStackExtension.class)
class MonitorRestartIT {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorRestartIT.class);
    private static final long STEP_PAUSE_MS = 100;
    private static final int DECISIONS_BEFORE_KILL = 3;

    @TempDir
    Path dir;

    @Test
    void shouldLoseNoDecisionAndDoubleNoneWhenKilledMidStreamAndRestarted(StackEndpoints stack) throws Exception {
        // given a monitor JVM that has started, and 13 runs whose starts are on the topics
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Topics.ensureCreated(connection, 1);
        Topics topics = Topics.connect(connection);
        String prefix = "restart-" + System.nanoTime();
        RestartScenario scenario = new RestartScenario(prefix, System.currentTimeMillis());
        Map<String, String> config = childConfig(connection, prefix);
        try (EventProducer producer = new EventProducer(connection);
             TopicTail<StopDecision> decisions = new TopicTail<>(connection, topics.stopDecisions())) {
            send(producer, topics, scenario.starts());
            Process first = MonitorChild.start(config, dir.resolve("first.log"));
            Process second = null;
            CompletableFuture<Void> trainers = null;
            try {
                awaitRunning(first, dir.resolve("first.log"));
                // when the runs publish a step every 100 ms (in the background) ...
                trainers = CompletableFuture.runAsync(() -> publishSteps(producer, topics, scenario));
                // ... the monitor is killed once some (not all) runs are decided ...
                await().pollInSameThread().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(60))
                        .until(() -> ours(decisions.readToEnd(), prefix).size() >= DECISIONS_BEFORE_KILL);
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
                int decidedAtKill = ours(decisions.readToEnd(), prefix).size();
                LOG.info("killed the monitor JVM with {} of {} runs decided", decidedAtKill, RestartScenario.DECIDED + 1);
                assertThat(decidedAtKill).as("killed mid-stream").isLessThan(RestartScenario.DECIDED);
                // ... and restarted with the same application id and state folder while the runs go on
                second = MonitorChild.start(config, dir.resolve("second.log"));
                trainers.get(60, TimeUnit.SECONDS);
                awaitCaughtUp(connection, prefix);
            } finally {
                if (trainers != null) {
                    trainers.cancel(true);
                }
                first.destroyForcibly();
                if (second != null) {
                    second.destroy();
                    second.waitFor(30, TimeUnit.SECONDS);
                    second.destroyForcibly();
                }
            }

            // then each run has exactly one decision on the topic ...
            List<StopDecision> live = ours(decisions.readToEnd(), prefix);
            Map<String, Long> perRun = live.stream().collect(Collectors.groupingBy(StopDecision::getRunId, Collectors.counting()));
            assertThat(perRun).as("decisions per run").hasSize(RestartScenario.DECIDED + 1).allSatisfy((run, n) -> assertThat(n).isEqualTo(1));
            // ... the one an uninterrupted monitor makes on the same input: id, step, checkpoint, evidence
            Map<String, StopDecision> reference = uninterrupted(scenario);
            assertThat(reference).hasSize(RestartScenario.DECIDED + 1);
            Map<String, StopDecision> byRun = live.stream().collect(Collectors.toMap(StopDecision::getRunId, Function.identity()));
            for (String run : scenario.runs()) {
                StopDecision got = byRun.get(run);
                StopDecision want = reference.get(run);
                assertThat(got.getDecisionId()).isEqualTo(want.getDecisionId());
                assertThat(got.getDecidedAtStep()).isEqualTo(want.getDecidedAtStep());
                assertThat(got.getCheckpointStep()).isEqualTo(want.getCheckpointStep());
                assertThat(got.getCheckpointUri()).isEqualTo(want.getCheckpointUri());
                assertThat(got).as("decision of %s, every field", run).isEqualTo(want);
            }
            // (and the scenario decides where it was built to: run i at step 10 + 4i, the last at its end)
            List<Long> steps = scenario.runs().stream().map(run -> byRun.get(run).getDecidedAtStep()).toList();
            assertThat(steps.subList(0, RestartScenario.DECIDED)).isEqualTo(
                    IntStream.range(0, RestartScenario.DECIDED).mapToObj(RestartScenario::decidingStep).toList());
            assertThat(byRun.get(scenario.runs().get(RestartScenario.DECIDED)).getPolicy()).isEqualTo("end-of-run");
        }
    }

    @Test
    void shouldHaveTheSurvivorOfTwoInstancesTakeOverWhenOneIsKilledMidStream() throws Exception {
        // given two monitor JVMs of one application on 4 partitions (a stack of its own), both running
        try (FaultInjector own = FaultInjector.start()) {
            KafkaConnection connection = new KafkaConnection(own.endpoints().bootstrapServers(), own.endpoints().registryUrl());
            Topics.ensureCreated(connection, 4);
            Topics topics = Topics.connect(connection);
            String prefix = "pair-" + System.nanoTime();
            RestartScenario scenario = new RestartScenario(prefix, System.currentTimeMillis());
            Map<String, String> config = childConfig(connection, prefix);
            config.put(MonitorConfigKeys.TOPIC_PARTITIONS, "4");
            Map<String, String> configB = new LinkedHashMap<>(config);
            configB.put(MonitorConfigKeys.STATE_DIR, dir.resolve("state-b").toString());
            try (EventProducer producer = new EventProducer(connection);
                 TopicTail<StopDecision> decisions = new TopicTail<>(connection, topics.stopDecisions())) {
                send(producer, topics, scenario.starts());
                Process a = MonitorChild.start(config, dir.resolve("a.log"));
                Process b = MonitorChild.start(configB, dir.resolve("b.log"));
                CompletableFuture<Void> trainers = null;
                try {
                    awaitRunning(a, dir.resolve("a.log"));
                    awaitRunning(b, dir.resolve("b.log"));
                    // when the runs publish their steps and one instance is killed once some runs are decided
                    trainers = CompletableFuture.runAsync(() -> publishSteps(producer, topics, scenario));
                    await().pollInSameThread().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(60))
                            .until(() -> ours(decisions.readToEnd(), prefix).size() >= DECISIONS_BEFORE_KILL);
                    a.destroyForcibly();
                    assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    // (each instance had partitions of its own to watch when one was killed)
                    assertThat(lastActiveTasks(dir.resolve("a.log"))).startsWith("[0_");
                    assertThat(lastActiveTasks(dir.resolve("b.log"))).startsWith("[0_");
                    int decidedAtKill = ours(decisions.readToEnd(), prefix).size();
                    LOG.info("killed one of two monitor JVMs with {} of {} runs decided", decidedAtKill, RestartScenario.DECIDED + 1);
                    assertThat(decidedAtKill).as("killed mid-stream").isLessThan(RestartScenario.DECIDED);
                    trainers.get(60, TimeUnit.SECONDS);
                    awaitCaughtUp(connection, prefix);
                    assertThat(b.isAlive()).as("the survivor is up").isTrue();
                } finally {
                    if (trainers != null) {
                        trainers.cancel(true);
                    }
                    a.destroyForcibly();
                    b.destroy();
                    b.waitFor(30, TimeUnit.SECONDS);
                    b.destroyForcibly();
                }

                // then the survivor took over: every run has exactly one decision, the one a single instance makes
                List<StopDecision> live = ours(decisions.readToEnd(), prefix);
                Map<String, Long> perRun = live.stream().collect(Collectors.groupingBy(StopDecision::getRunId, Collectors.counting()));
                assertThat(perRun).as("decisions per run").hasSize(RestartScenario.DECIDED + 1)
                        .allSatisfy((run, n) -> assertThat(n).isEqualTo(1));
                Map<String, StopDecision> reference = uninterrupted(scenario);
                Map<String, StopDecision> byRun = live.stream().collect(Collectors.toMap(StopDecision::getRunId, Function.identity()));
                for (String run : scenario.runs()) {
                    assertThat(byRun.get(run)).as("decision of %s, every field", run).isEqualTo(reference.get(run));
                }
            }
        }
    }

    /** The active tasks an instance logged last, e.g. "[0_1, 0_3] (standby [])". */
    private static String lastActiveTasks(Path log) throws java.io.IOException {
        String marker = "monitor active tasks ";
        return Files.readAllLines(log).stream().filter(l -> l.contains(marker)).reduce((first, second) -> second)
                .map(l -> l.substring(l.indexOf(marker) + marker.length())).orElse("none logged");
    }

    private Map<String, String> childConfig(KafkaConnection connection, String prefix) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(KafkaConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers());
        config.put(KafkaConnection.REGISTRY_URL, connection.registryUrl());
        config.put(MonitorConfigKeys.APPLICATION_ID, "monitor-" + prefix);
        config.put(MonitorConfigKeys.STATE_DIR, dir.resolve("state").toString());
        config.put(MonitorConfigKeys.HTTP_PORT, "-1");
        // the killed member leaves the group after 6 s instead of 45 s
        config.put(MonitorConfigKeys.STREAMS_PREFIX + "session.timeout.ms", "6000");
        config.put(MonitorConfigKeys.STREAMS_PREFIX + "heartbeat.interval.ms", "1500");
        return config;
    }

    private static void awaitRunning(Process child, Path log) {
        await().pollInSameThread().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(90))
                .until(() -> !child.isAlive() || Files.readString(log).contains("-> RUNNING"));
        assertThat(child.isAlive()).as("monitor JVM alive; its log: %s", log).isTrue();
    }

    /** Steps 1..60 of every run, one every 100 ms, then (after the last step is processed) the end of the undecided run. */
    private static void publishSteps(EventProducer producer, Topics topics, RestartScenario scenario) {
        try {
            for (long step = 1; step <= RestartScenario.STEPS; step++) {
                send(producer, topics, scenario.step(step));
                Thread.sleep(STEP_PAUSE_MS);
            }
            Thread.sleep(5 * STEP_PAUSE_MS);
            send(producer, topics, List.of(scenario.end()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(EventProducer producer, Topics topics, List<RestartScenario.Event> events) {
        for (RestartScenario.Event e : events) {
            switch (e.topic()) {
                case Topics.RUNS -> producer.send(topics.runs(), e.key(), (RunEvent) e.value(), e.timestamp());
                case Topics.EXAMPLE_LOSSES -> producer.send(topics.exampleLosses(), e.key(), (ExampleLosses) e.value(), e.timestamp());
                case Topics.CHECKPOINTS -> producer.send(topics.checkpoints(), e.key(), (CheckpointSaved) e.value(), e.timestamp());
                default -> throw new IllegalArgumentException(e.topic());
            }
        }
        producer.flush();
    }

    /** Waits until the monitor's group has committed everything now on its input topics. */
    private static void awaitCaughtUp(KafkaConnection connection, String prefix) throws Exception {
        try (GroupOffsets offsets = new GroupOffsets(connection, "monitor-" + prefix)) {
            await().pollInSameThread().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofMinutes(2))
                    .until(offsets::caughtUp);
        }
    }

    /** The decisions of the same input through the same topology, uninterrupted, in a test driver. */
    private Map<String, StopDecision> uninterrupted(RestartScenario scenario) throws Exception {
        try (MonitorHarness h = new MonitorHarness(Files.createDirectories(dir.resolve("reference")), Map.of())) {
            for (RestartScenario.Event e : scenario.all()) {
                switch (e.topic()) {
                    case Topics.RUNS -> h.runs.pipeInput(e.key(), (RunEvent) e.value(), e.timestamp());
                    case Topics.EXAMPLE_LOSSES -> h.losses.pipeInput(e.key(), (ExampleLosses) e.value(), e.timestamp());
                    default -> h.checkpoints.pipeInput(e.key(), (CheckpointSaved) e.value(), e.timestamp());
                }
            }
            assertThat(h.deadLetters.isEmpty()).as("the reference dead-lettered nothing").isTrue();
            Map<String, StopDecision> decisions = new LinkedHashMap<>();
            h.decisions.readValuesToList().forEach(d -> decisions.put(d.getRunId(), d));
            return decisions;
        }
    }

    private static List<StopDecision> ours(List<StopDecision> all, String prefix) {
        List<StopDecision> ours = new ArrayList<>();
        all.stream().filter(d -> d.getRunId().startsWith(prefix + "-")).forEach(ours::add);
        return ours;
    }
}
