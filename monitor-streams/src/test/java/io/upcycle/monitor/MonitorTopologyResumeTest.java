package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.monitor.TrainerLog.Input;
import io.upcycle.monitor.state.RunState;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.StopDecision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MonitorTopologyResumeTest {
    static final String RUN = "run-1";
    static final int EXAMPLES = 100;
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    @Test
    void shouldEmitNoDecisionWhenARunFails() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run that reported 6 steps, learning 60 of its 100 examples
            TrainerLog log = new TrainerLog(RUN, EXAMPLES, T0).started(null).steps(1, 6);

            // when it fails after step 6
            log.failed(6).pipeAsProduced(h);

            // then no decision: a failed run is expected to resume; the run is closed until it does
            assertThat(h.decisions.isEmpty()).isTrue();
            assertThat(h.deadLetters.isEmpty()).isTrue();
            RunState run = h.state(RUN);
            assertThat(run.ended()).isTrue();
            assertThat(run.finalStep()).isEqualTo(6);
            assertThat(run.decided()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = EndReason.class, names = {"BUDGET_EXHAUSTED", "STOPPED", "CANCELLED"})
    void shouldRecordAnEndOfRunDecisionWhenARunEndsForGood(EndReason reason) {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run at step 6 whose policy has not fired
            new TrainerLog(RUN, EXAMPLES, T0).started(null).steps(1, 6).pipeAsProduced(h);

            // when it ends for a reason other than a failure
            h.runs.pipeInput(RUN, Events.ended(RUN, 6, reason), T0 + 7);

            // then
            assertThat(h.decisions.readValuesToList()).extracting(StopDecision::getPolicy).containsExactly("end-of-run");
        }
    }

    @ParameterizedTest(name = "failed after step {0}, losses logged through step 6")
    @ValueSource(longs = {6, 7})
    void shouldMonitorAResumedRunAgainAndDecideWhenItFailedBefore(long failedAt) {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of())) {
            // given a run that logged steps 1..6 (full pass and checkpoint at 4) and failed
            // when it resumes from step 6 and trains on to step 14
            resumedRun(failedAt).pipeAsProduced(h);

            // then it gets the policy's decision at step 10, merging the resumed attempt's checkpoint of step 8
            List<StopDecision> decisions = h.decisions.readValuesToList();
            assertThat(decisions).hasSize(1);
            StopDecision d = decisions.get(0);
            assertThat(d.getDecisionId()).isEqualTo("run-1:learned-fraction-v1:10");
            assertThat(d.getCheckpointStep()).isEqualTo(8);
            assertThat(d.getSignals().get(0).getSteps()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(h.deadLetters.isEmpty()).isTrue();
            RunState run = h.state(RUN);
            assertThat(run.step()).isEqualTo(14);
            assertThat(run.stepsObserved()).isEqualTo(14);
            assertThat(run.ended()).isFalse();
        }
    }

    @ParameterizedTest(name = "failed after step {0}")
    @ValueSource(longs = {6, 7})
    void shouldReachTheSameDecisionsWhenTheLogOfAResumedRunIsReplayedInTimestampOrder(long failedAt) throws Exception {
        // given the log of a run that failed and resumed, the failure stamped after the resumed attempt's first records
        TrainerLog log = resumedRun(failedAt);

        // when a monitor sees it as produced, and monitors replay it in timestamp order with each way of breaking ties
        List<StopDecision> live = decisions(log::pipeAsProduced);
        List<List<StopDecision>> replays = List.of(
                decisions(h -> log.pipeByTimestamp(h, List.of(Input.RUNS, Input.LOSSES, Input.CHECKPOINTS))),
                decisions(h -> log.pipeByTimestamp(h, List.of(Input.LOSSES, Input.CHECKPOINTS, Input.RUNS))),
                decisions(h -> log.pipeByTimestamp(h, List.of(Input.CHECKPOINTS, Input.LOSSES, Input.RUNS))));

        // then every replay gives the live decisions, field by field, and no dead letter
        assertThat(live).extracting(StopDecision::getDecisionId).containsExactly("run-1:learned-fraction-v1:10");
        assertThat(replays).allSatisfy(replayed -> assertThat(replayed).isEqualTo(live));
    }

    /** Steps 1..6 logged, a failure after {@code failedAt} (7: step 7 computed, its losses never logged), resumed from 6. */
    private static TrainerLog resumedRun(long failedAt) {
        return new TrainerLog(RUN, EXAMPLES, T0).started(null).steps(1, 6).failed(failedAt).started(6L).steps(7, 14);
    }

    /** The decisions of a fresh monitor fed by {@code feed}; it must dead-letter nothing. */
    private List<StopDecision> decisions(Consumer<MonitorHarness> feed) throws Exception {
        try (MonitorHarness h = new MonitorHarness(Files.createTempDirectory(stateDir, "replay"), Map.of())) {
            feed.accept(h);
            assertThat(h.deadLetters.readValuesToList()).isEmpty();
            return h.decisions.readValuesToList();
        }
    }
}
