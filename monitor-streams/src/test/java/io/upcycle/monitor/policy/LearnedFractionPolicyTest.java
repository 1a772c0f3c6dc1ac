package io.upcycle.monitor.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearnedFractionPolicyTest {
    private final LearnedFractionPolicy policy = new LearnedFractionPolicy(0.1, 0.97, 10);

    @Test
    void shouldCountExamplesWhoseLatestLossIsStrictlyBelowTheThreshold() {
        // given 4 examples: two below, one exactly at, one above the threshold
        float[] losses = {0.01f, 0.099f, (float) 0.1, 3f};

        // when
        double fraction = new LearnedFractionPolicy(0.1f, 0.97, 1).learnedFraction(losses, losses.length);

        // then
        assertThat(fraction).isEqualTo(0.5);
    }

    @Test
    void shouldCountUnseenExamplesAsNotLearned() {
        // given 10 examples, the first 5 seen and learned, the others never seen
        float[] losses = new float[10];
        Arrays.fill(losses, Float.NaN);
        Arrays.fill(losses, 0, 5, 0.01f);

        // when
        Assessment assessment = policy.assess(new ArrayRun(losses, 40, 40));

        // then
        assertThat(assessment.signal()).isEqualTo(0.5);
        assertThat(assessment.stop()).isFalse();
    }

    @Test
    void shouldStopWhenTheFractionReachesTheTargetAfterTheWarmUp() {
        // given 97 of 100 learned
        float[] losses = new float[100];
        Arrays.fill(losses, 0, 97, 0.02f);
        Arrays.fill(losses, 97, 100, 2.5f);

        // when
        Assessment atWarmUp = policy.assess(new ArrayRun(losses, 312, 10));
        Assessment warmingUp = policy.assess(new ArrayRun(losses, 9, 9));

        // then
        assertThat(atWarmUp.stop()).isTrue();
        assertThat(atWarmUp.signal()).isCloseTo(0.97, within(1e-12));
        assertThat(atWarmUp.reason()).isEqualTo("learned fraction 0.970 >= 0.97 at step 312 (threshold 0.1)");
        assertThat(warmingUp.stop()).isFalse();
        assertThat(warmingUp.reason()).contains("still warming up (9 of 10 steps)");
    }

    @Test
    void shouldNotStopJustBelowTheTarget() {
        // given 96 of 100 learned
        float[] losses = new float[100];
        Arrays.fill(losses, 0, 96, 0.02f);
        Arrays.fill(losses, 96, 100, 2.5f);

        // when
        Assessment assessment = policy.assess(new ArrayRun(losses, 500, 500));

        // then
        assertThat(assessment.stop()).isFalse();
        assertThat(assessment.reason()).isEqualTo("learned fraction 0.960 < 0.97 at step 500 (threshold 0.1)");
    }

    @Test
    void shouldTakeDefaultsAndReportEveryParameter() {
        // when
        LearnedFractionPolicy defaults = LearnedFractionPolicy.fromParameters(Map.of());
        LearnedFractionPolicy tuned = LearnedFractionPolicy.fromParameters(Map.of("target.fraction", "0.95", "min.steps", "3"));

        // then
        assertThat(defaults.parameters()).containsExactly(Map.entry("loss.threshold", "0.1"),
                Map.entry("target.fraction", "0.97"), Map.entry("min.steps", "10"));
        assertThat(tuned.targetFraction()).isEqualTo(0.95);
        assertThat(tuned.minSteps()).isEqualTo(3);
        assertThat(tuned.lossThreshold()).isEqualTo(0.1);
        assertThat(defaults.name()).isEqualTo("learned-fraction");
        assertThat(defaults.version()).isEqualTo(1);
    }

    @Test
    void shouldRefuseBadOrUnknownParametersNamingThem() {
        assertThatThrownBy(() -> LearnedFractionPolicy.fromParameters(Map.of("target.fraction", "1.5")))
                .isInstanceOf(PolicyParameterException.class)
                .hasMessageContaining("target.fraction").hasMessageContaining("1.5")
                .extracting(e -> ((PolicyParameterException) e).parameter()).isEqualTo("target.fraction");
        assertThatThrownBy(() -> LearnedFractionPolicy.fromParameters(Map.of("loss.threshold", "zero")))
                .hasMessageContaining("loss.threshold").hasMessageContaining("a number");
        assertThatThrownBy(() -> LearnedFractionPolicy.fromParameters(Map.of("min.steps", "0")))
                .hasMessageContaining("min.steps");
        assertThatThrownBy(() -> LearnedFractionPolicy.fromParameters(Map.of("target.fracton", "0.9")))
                .hasMessageContaining("no parameter 'target.fracton'").hasMessageContaining("target.fraction");
    }

    @Test
    void shouldReadTheCamelCaseNamesThatOlderLogsRecorded() {
        assertThat(LearnedFractionPolicy.fromParameters(Map.of("targetFraction", "0.9", "minSteps", "3")).parameters())
                .containsEntry("target.fraction", "0.9").containsEntry("min.steps", "3");
    }
}
