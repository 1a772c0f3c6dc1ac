package io.upcycle.monitor.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlateauPolicyTest {
    @Test
    void shouldFindTheBestEvaluationAndCountTheOnesSince() {
        // given
        PlateauPolicy policy = new PlateauPolicy(3, 0, true);

        // when
        PlateauPolicy.Fold scan = policy.fold(new float[] {1.0f, 0.8f, 0.6f, 0.7f, 0.6f, 0.65f}, 1e-3);

        // then the best is the first 0.6 (an equal loss is no improvement)
        assertThat(scan.bestIndex()).isEqualTo(2);
        assertThat(scan.sinceBest()).isEqualTo(3);
    }

    @Test
    void shouldNotCountAnImprovementSmallerThanMinDelta() {
        PlateauPolicy policy = new PlateauPolicy(3, 0.05, true);

        PlateauPolicy.Fold scan = policy.fold(new float[] {1.0f, 0.98f, 0.96f, 0.90f}, 1e-3);

        assertThat(scan.bestIndex()).isEqualTo(3);
        assertThat(policy.fold(new float[] {1.0f, 0.98f, 0.96f}, 1e-3).sinceBest()).isEqualTo(2);
    }

    @Test
    void shouldStopWhenPatienceIsExhaustedAndNameTheBestStepToRestore() {
        // given evaluations every 10 steps, best at step 20, then three without improvement
        PlateauPolicy policy = new PlateauPolicy(3, 0, true);
        EvalRun run = new EvalRun(new long[] {10, 20, 30, 40, 50}, new float[] {0.9f, 0.5f, 0.6f, 0.55f, 0.7f},
                new float[] {1e-3f, 1e-3f, 1e-3f, 1e-3f, 1e-3f});
        EvalRun earlier = new EvalRun(new long[] {10, 20, 30, 40}, new float[] {0.9f, 0.5f, 0.6f, 0.55f},
                new float[] {1e-3f, 1e-3f, 1e-3f, 1e-3f});

        // when
        Assessment before = policy.assessEvaluation(earlier, 40);
        Assessment at = policy.assessEvaluation(run, 50);

        // then
        assertThat(before.stop()).isFalse();
        assertThat(at.stop()).isTrue();
        assertThat(at.signal()).isEqualTo(0.7f);
        assertThat(at.mergeAtOrBefore()).isEqualTo(20);
        assertThat(at.reason()).contains("best 0.5000 at step 20").contains("restore the best");
        assertThat(new PlateauPolicy(3, 0, false).assessEvaluation(run, 50).mergeAtOrBefore()).isEqualTo(-1);
    }

    @Test
    void shouldReduceTheLearningRateWhenPatienceRunsOutAndStopAfterTheLastReduction() {
        // given patience 2, factor 0.5, at most two reductions, evaluations every 10 steps at rate 0.5
        PlateauPolicy policy = new PlateauPolicy(2, 0, true, 0.5, 2, 0);
        long[] steps = {10, 20, 30, 40, 50, 60, 70, 80, 90};
        float[] losses = {0.9f, 0.8f, 0.85f, 0.81f, 0.7f, 0.75f, 0.72f, 0.71f, 0.73f};

        // when assessed after each evaluation
        Assessment[] after = new Assessment[steps.length];
        for (int n = 1; n <= steps.length; n++) {
            float[] rates = new float[n];
            java.util.Arrays.fill(rates, 0.5f);
            after[n - 1] = policy.assessEvaluation(new EvalRun(java.util.Arrays.copyOf(steps, n),
                    java.util.Arrays.copyOf(losses, n), rates), steps[n - 1]);
        }

        // then step 40 (two without improvement on 0.8) halves the rate, 50 improves, 70 halves again,
        // and 90 runs out of patience with no reduction left: stop, restoring the best (step 50)
        assertThat(after).extracting(Assessment::newLearningRate)
                .containsExactly(Double.NaN, Double.NaN, Double.NaN, 0.25, Double.NaN, Double.NaN, 0.125, Double.NaN, Double.NaN);
        assertThat(after).extracting(Assessment::stop).containsExactly(false, false, false, false, false, false, false, false, true);
        assertThat(after[8].mergeAtOrBefore()).isEqualTo(50);
        assertThat(after[8].reason()).contains("2 of 2 learning-rate reductions");
        assertThat(after[3].reason()).contains("learning rate reduced to 0.25");
    }

    @Test
    void shouldStopInsteadOfReducingBelowTheLearningRateFloor() {
        // given a floor of 0.004: one halving of 0.01 is allowed, a second would go below it
        PlateauPolicy policy = new PlateauPolicy(1, 0, false, 0.5, 5, 0.004);

        // when
        PlateauPolicy.Fold fold = policy.fold(new float[] {0.5f, 0.6f, 0.7f}, 0.01);

        // then
        assertThat(fold.reductions()).isEqualTo(1);
        assertThat(fold.rate()).isCloseTo(0.005, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(fold.stop()).isTrue();
    }

    @Test
    void shouldNeverStopOnPerStepLosses() {
        PlateauPolicy policy = new PlateauPolicy(1, 0, true);

        Assessment a = policy.assess(new EvalRun(new long[] {1, 2}, new float[] {0.1f, 0.9f}, new float[] {1f, 1f}));

        assertThat(a.stop()).isFalse();
        assertThat(a.signal()).isNaN();
    }

    @Test
    void shouldValidateItsParametersNamingThem() {
        assertThatThrownBy(() -> PlateauPolicy.fromParameters(Map.of("patience", "0")))
                .isInstanceOf(PolicyParameterException.class).hasMessageContaining("patience");
        assertThatThrownBy(() -> PlateauPolicy.fromParameters(Map.of("min.delta", "-1")))
                .isInstanceOf(PolicyParameterException.class).hasMessageContaining("min.delta");
        assertThatThrownBy(() -> PlateauPolicy.fromParameters(Map.of("restore.best", "maybe")))
                .isInstanceOf(PolicyParameterException.class).hasMessageContaining("restore.best");
        assertThat(StopPolicies.create("plateau", Map.of("restore.best", "FALSE")).parameters())
                .containsEntry("patience", "5").containsEntry("min.delta", "0").containsEntry("restore.best", "false")
                .containsEntry("factor", "0.1").containsEntry("max.reductions", "0").containsEntry("min.learning.rate", "0");
        assertThatThrownBy(() -> PlateauPolicy.fromParameters(Map.of("factor", "1")))
                .isInstanceOf(PolicyParameterException.class).hasMessageContaining("factor");
        assertThatThrownBy(() -> PlateauPolicy.fromParameters(Map.of("max.reductions", "-1")))
                .isInstanceOf(PolicyParameterException.class).hasMessageContaining("max.reductions");
    }

    /** A run view with evaluations only. */
    private record EvalRun(long[] evaluationSteps, float[] evaluationLosses, float[] evaluationLearningRates)
            implements RunView {
        @Override
        public String runId() {
            return "run";
        }

        @Override
        public int exampleCount() {
            return 1;
        }

        @Override
        public long step() {
            return evaluationSteps[evaluationSteps.length - 1];
        }

        @Override
        public long stepsObserved() {
            return step();
        }

        @Override
        public int examplesSeen() {
            return 1;
        }

        @Override
        public float[] latestLosses() {
            return new float[] {1f};
        }
    }
}
