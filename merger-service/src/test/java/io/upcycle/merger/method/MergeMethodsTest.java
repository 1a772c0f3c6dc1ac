package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MergeMethodsTest {

    @Test
    void shouldFindTaskArithmeticByName() {
        // when
        MergeMethod method = MergeMethods.defaults().get("task_arithmetic");

        // then
        assertThat(method).isInstanceOf(TaskArithmetic.class);
        assertThat(method.referenceUrl()).startsWith("https://");
    }

    @Test
    void shouldListTheKnownNamesWhenTheNameIsUnknown() {
        assertThatThrownBy(() -> MergeMethods.defaults().get("ties"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ties'").hasMessageContaining("[task_arithmetic]");
    }

    @Test
    void shouldRefuseTwoMethodsUnderOneName() {
        assertThatThrownBy(() -> MergeMethods.defaults().register(new TaskArithmetic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered twice");
    }
}
