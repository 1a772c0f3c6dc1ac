package io.upcycle.monitor.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StopPoliciesTest {
    @Test
    void shouldCreateARegisteredPolicyByName() {
        // when
        StopPolicy policy = StopPolicies.create("learned-fraction", Map.of("loss.threshold", "0.05"));

        // then
        assertThat(policy).isInstanceOf(LearnedFractionPolicy.class);
        assertThat(policy.parameters()).containsEntry("loss.threshold", "0.05");
        assertThat(StopPolicies.defaultPolicy().parameters()).containsEntry("loss.threshold", "0.1");
    }

    @Test
    void shouldRegisterThePlateauAndBudgetPolicies() {
        assertThat(StopPolicies.names()).containsExactly("budget", "learned-fraction", "plateau");
        assertThat(StopPolicies.create("budget", Map.of("steps", "64"))).isInstanceOf(BudgetPolicy.class);
        assertThat(StopPolicies.create("plateau", Map.of())).isInstanceOf(PlateauPolicy.class);
    }

    @Test
    void shouldListTheKnownNamesOnAMiss() {
        assertThatThrownBy(() -> StopPolicies.create("hard-share", Map.of()))
                .hasMessageContaining("unknown stop policy 'hard-share'").hasMessageContaining("learned-fraction");
    }
}
