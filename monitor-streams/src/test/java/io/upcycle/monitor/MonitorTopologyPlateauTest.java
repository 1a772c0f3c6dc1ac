package io.upcycle.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.upcycle.monitor.state.SignalNames;
import io.upcycle.schemas.DeadLetters;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.SignalSeries;
import io.upcycle.schemas.avro.CommandKind;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TrainingCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plateau policy on step metrics: evaluations every two steps, checkpoints after steps 2, 4 and 6. */
class MonitorTopologyPlateauTest {
    static final String RUN = "run-p";
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path stateDir;

    static long at(long step) {
        return T0 + 10 * step;
    }

    /** Steps 1..last; step 2k evaluates to {@code evals[k-1]}; its metrics come before its losses (equal times). */
    private static void train(MonitorHarness h, long last, float... evals) {
        h.runs.pipeInput(RUN, Events.started(RUN, 2), T0);
        for (long s = 1; s <= last; s++) {
            Float eval = s % 2 == 0 ? evals[(int) (s / 2 - 1)] : null;
            h.stepMetrics.pipeInput(RUN, Events.metrics(RUN, s, eval), at(s));
            h.losses.pipeInput(RUN, Events.losses(RUN, s, new int[] {0, 1}, new float[] {1f, 1f}), at(s));
            if (s == 2 || s == 4 || s == 6) {
                h.checkpoints.pipeInput(RUN, Events.checkpoint(RUN, s), at(s) + 1);
            }
        }
    }

    @Test
    void shouldStopAtTheEvaluationThatExhaustsThePatienceAndRestoreTheBestCheckpoint() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of(MonitorConfigKeys.POLICY_NAME, "plateau",
                "policy.patience", "2"))) {
            // when evaluations give 0.9, 0.5 (best, step 4), 0.6, 0.55, 0.4
            train(h, 10, 0.9f, 0.5f, 0.6f, 0.55f, 0.4f);

            // then one decision at step 8, the second evaluation without improvement, merging step 4
            List<StopDecision> decisions = h.decisions.readValuesToList();
            assertThat(decisions).hasSize(1);
            StopDecision d = decisions.get(0);
            assertThat(d.getDecidedAtStep()).isEqualTo(8);
            assertThat(d.getDecisionId()).isEqualTo(RUN + ":plateau-v1:8");
            assertThat(d.getCheckpointStep()).isEqualTo(4L);
            assertThat(d.getCheckpointUri()).isEqualTo(Events.uri(RUN, 4));
            assertThat(d.getReason()).contains("best 0.5000 at step 4").contains("restore the best");
            assertThat(d.getParameters()).containsEntry("patience", "2").containsEntry("restore.best", "true");
            SignalSeries evalLoss = d.getSignals().get(0);
            assertThat(evalLoss.getName()).isEqualTo(SignalNames.EVAL_LOSS);
            assertThat(evalLoss.getSteps()).containsExactly(2L, 4L, 6L, 8L);
            assertThat(evalLoss.getValues()).hasSize(4);
            assertThat(evalLoss.getValues().get(3)).isCloseTo(0.55, within(1e-6));
            assertThat(d.getSignals()).extracting(SignalSeries::getName).doesNotHaveDuplicates()
                    .contains(SignalNames.LEARNED_FRACTION, SignalNames.FORGETTING_EVENTS);
        }
    }

    @Test
    void shouldPublishALearningRateReductionAndStopWhenNoReductionIsLeft() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of(MonitorConfigKeys.POLICY_NAME, "plateau",
                "policy.patience", "2", "policy.factor", "0.5", "policy.max.reductions", "1"))) {
            // when evaluations give 0.9, 0.5 (best, step 4), 0.6, 0.55 (patience out: halve), 0.6, 0.7 (out again)
            train(h, 12, 0.9f, 0.5f, 0.6f, 0.55f, 0.6f, 0.7f);

            // then one command at step 8 halving the reported rate 0.001, then the decision at step 12
            List<KeyValue<String, TrainingCommand>> commands = h.commands.readKeyValuesToList();
            assertThat(commands).hasSize(1);
            TrainingCommand c = commands.get(0).value;
            assertThat(commands.get(0).key).isEqualTo(RUN);
            assertThat(c.getKind()).isEqualTo(CommandKind.SET_LEARNING_RATE);
            assertThat(c.getCommandId()).isEqualTo(RUN + ":plateau-v1:lr:8");
            assertThat(c.getValue()).isCloseTo(0.0005, within(1e-9));
            assertThat(c.getReason()).contains("learning rate reduced");
            List<StopDecision> decisions = h.decisions.readValuesToList();
            assertThat(decisions).extracting(StopDecision::getDecidedAtStep).containsExactly(12L);
            assertThat(decisions.get(0).getCheckpointStep()).isEqualTo(4L);
            assertThat(decisions.get(0).getReason()).contains("1 of 1 learning-rate reductions");
        }
    }

    @Test
    void shouldPublishNoCommandInObserveMode() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of(MonitorConfigKeys.POLICY_NAME, "plateau",
                MonitorConfigKeys.DECISION_MODE, "OBSERVE",
                "policy.patience", "2", "policy.factor", "0.5", "policy.max.reductions", "1"))) {
            train(h, 12, 0.9f, 0.5f, 0.6f, 0.55f, 0.6f, 0.7f);

            assertThat(h.commands.isEmpty()).isTrue();
            assertThat(h.decisions.readValuesToList()).extracting(StopDecision::getDecidedAtStep).containsExactly(12L);
        }
    }

    @Test
    void shouldMergeTheLatestCheckpointWithoutRestoreBest() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of(MonitorConfigKeys.POLICY_NAME, "plateau",
                "policy.patience", "2", "policy.restore.best", "false"))) {
            train(h, 8, 0.9f, 0.5f, 0.6f, 0.55f);

            StopDecision d = h.decisions.readValue();
            assertThat(d.getDecidedAtStep()).isEqualTo(8);
            assertThat(d.getCheckpointStep()).isEqualTo(6L);
        }
    }

    @Test
    void shouldNotStopWhileTheEvaluationLossImproves() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of(MonitorConfigKeys.POLICY_NAME, "plateau",
                "policy.patience", "1"))) {
            train(h, 10, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f);

            assertThat(h.decisions.isEmpty()).isTrue();
            assertThat(h.state(RUN).evaluationSteps()).containsExactly(2, 4, 6, 8, 10);
        }
    }

    @Test
    void shouldDeadLetterInvalidStepMetricsAndKeepTheEvaluations() {
        try (MonitorHarness h = new MonitorHarness(stateDir, Map.of(MonitorConfigKeys.POLICY_NAME, "plateau"))) {
            // given
            train(h, 2, 0.9f);

            // when a duplicate step, a negative evaluation loss and metrics of an unknown run arrive
            h.stepMetrics.pipeInput(RUN, Events.metrics(RUN, 2, 0.1f), at(3));
            h.stepMetrics.pipeInput(RUN, Events.metrics(RUN, 3, -1f), at(3));
            h.stepMetrics.pipeInput("ghost", Events.metrics("ghost", 1, 0.5f), at(3));

            // then all three are dead-lettered at validation and the state is unchanged
            List<DeadLetter> dead = h.deadLetters.readValuesToList();
            assertThat(dead).hasSize(3).allSatisfy(l -> assertThat(l.getStage()).isEqualTo(DeadLetters.VALIDATION));
            assertThat(dead.get(0).getErrorMessage()).contains("duplicate");
            assertThat(dead.get(1).getErrorMessage()).contains("evalLoss -1.0");
            assertThat(dead.get(2).getErrorMessage()).contains("unknown run");
            assertThat(h.state(RUN).evaluationLosses()).containsExactly(0.9f);
            assertThat(h.state(RUN).lastMetricsStep()).isEqualTo(2);
        }
    }
}
