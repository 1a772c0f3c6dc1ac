package io.upcycle.merger.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MergeMethodsTest {

    @Test
    void shouldRegisterTheFiveMethodsWithTheirPapers() {
        // when
        MergeMethods methods = MergeMethods.defaults();

        // then
        assertThat(methods.names()).containsExactly("average", "task_arithmetic", "ties", "dare_linear", "dare_ties");
        methods.names().forEach(name -> assertThat(methods.get(name).referenceUrl()).startsWith("https://arxiv.org/abs/"));
        assertThat(methods.get("ties")).isInstanceOf(GeneralizedTaskArithmetic.class);
        assertThat(methods.get("dare_ties")).isInstanceOf(GeneralizedTaskArithmetic.class);
    }

    @Test
    void shouldFillInEachMethodsDefaultDensity() {
        // given
        MergeMethods methods = MergeMethods.defaults();
        MergeParameters none = MergeParameters.ofLambda(1.0);

        // when / then
        assertThat(methods.get("ties").resolve(none).density()).hasValue(0.2);
        assertThat(methods.get("dare_linear").resolve(none).density()).hasValue(0.1);
        assertThat(methods.get("dare_ties").resolve(none.with("density", "0.5")).density()).hasValue(0.5);
        assertThat(methods.get("task_arithmetic").resolve(none).density()).isEmpty();
        assertThat(methods.get("ties").parameters()).extracting(MethodParameter::name).contains("lambda", "density");
    }

    @Test
    void shouldListTheKnownNamesWhenTheNameIsUnknown() {
        assertThatThrownBy(() -> MergeMethods.defaults().get("tiez"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tiez'").hasMessageContaining("[average, task_arithmetic, ties, dare_linear, dare_ties]");
    }

    @Test
    void shouldRefuseTwoMethodsUnderOneName() {
        assertThatThrownBy(() -> MergeMethods.defaults().register(GeneralizedTaskArithmetic.ties()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered twice");
    }

    @Test
    void shouldRefuseADensityOutsideZeroToOne() {
        assertThatThrownBy(() -> MergeParameters.ofLambda(1.0).with("density", "1.2"))
                .hasMessageContaining("density must be in [0, 1]");
    }
}
