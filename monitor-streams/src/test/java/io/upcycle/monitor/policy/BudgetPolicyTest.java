package io.upcycle.monitor.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetPolicyTest {
    private final float[] losses = {0.5f, 0.01f};

    @Test
    void shouldStopExactlyAtTheBudgetStep() {
        BudgetPolicy policy = BudgetPolicy.fromParameters(Map.of("steps", "100"));

        assertThat(policy.assess(new ArrayRun(losses, 99, 99)).stop()).isFalse();
        Assessment at = policy.assess(new ArrayRun(losses, 100, 100));
        assertThat(at.stop()).isTrue();
        assertThat(at.signal()).isEqualTo(100);
        assertThat(at.reason()).contains("budget of 100 steps");
    }

    @Test
    void shouldRefuseABudgetBelowOneStepNamingTheParameter() {
        assertThatThrownBy(() -> BudgetPolicy.fromParameters(Map.of("steps", "0")))
                .isInstanceOf(PolicyParameterException.class).hasMessageContaining("steps")
                .extracting(e -> ((PolicyParameterException) e).parameter()).isEqualTo("steps");
    }
}
