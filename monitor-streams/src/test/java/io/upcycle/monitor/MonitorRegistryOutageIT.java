package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.testing.FaultInjector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A schema registry that is down for a minute is waited out: no shutdown, no dead letter, the same decision. */
class MonitorRegistryOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    @Test
    void shouldRideOutASixtySecondRegistryOutageWithoutShuttingDownOrDeadLetteringValidRecords(@TempDir Path stateDir)
            throws Exception {
        try (FaultInjector stack = FaultInjector.start();
             LiveMonitor live = new LiveMonitor(stack.endpoints(), stateDir, "monitor-registry-outage")) {
            // given a running monitor, and a trainer that registered its schemas before the registry went down
            KafkaConnection connection = new KafkaConnection(stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl());
            live.registerSchemas();
            stack.stopRegistry();

            // when the run is published during the outage, which lasts a minute
            live.train("outage-run", 40);
            long down = System.nanoTime();

            // then all through it the monitor is up, and has not applied records it could not decode yet (its stream
            // thread may fail on them and be replaced meanwhile: that is how it waits, not a failure of this test)
            await().dontCatchUncaughtExceptions().during(OUTAGE).atMost(OUTAGE.plusSeconds(15)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> live.monitor.state().isRunningOrRebalancing() && applied(live).isEmpty());

            // and once the registry is back, the run is decided as without the outage, and nothing was dead-lettered
            stack.startRegistry();
            long outage = System.nanoTime() - down;
            Topics topics = Topics.connect(connection);
            try (TopicTail<StopDecision> decisions = new TopicTail<>(connection, topics.stopDecisions(), "outage-run")) {
                await().atMost(Duration.ofSeconds(120)).until(() -> applied(live).map(s -> s.step() == 40).orElse(false)
                        && !decisions.values().isEmpty());
                List<StopDecision> values = decisions.readToEnd();
                assertThat(values).hasSize(1);
                assertThat(values.get(0).getDecidedAtStep()).isEqualTo(10);
                assertThat(values.get(0).getCheckpointStep()).isEqualTo(8);
                assertThat(values.get(0).getMissingSteps()).isZero();
            }
            try (TopicTail<DeadLetter> letters = new TopicTail<>(connection, topics.deadLetters())) {
                assertThat(letters.readToEnd()).isEmpty();
            }
            assertThat(live.monitor.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(Duration.ofNanos(outage)).isGreaterThanOrEqualTo(OUTAGE);
        }
    }

    /** The run's state, if this instance holds it now (empty while its stream thread is being replaced). */
    private static Optional<RunState> applied(LiveMonitor live) {
        try {
            return live.monitor.runState("outage-run");
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }
}
