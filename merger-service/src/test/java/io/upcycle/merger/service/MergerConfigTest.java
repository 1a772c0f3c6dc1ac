package io.upcycle.merger.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.DifficultyOptions;
import io.upcycle.merger.LambdaGrid;
import io.upcycle.merger.plan.PlanSpec;
import io.upcycle.merger.service.MergerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergerConfigTest {
    private static final String SHA = "a".repeat(64);

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("bootstrap.servers", "127.0.0.1:9092");
        values.put("schema.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7");
        values.put("plan.id", "plan-1");
        values.put("plan.runs", "run-a, run-b");
        values.put("plan.base.uri", "file:///tmp/base/step-0.safetensors");
        values.put("plan.base.sha256", SHA);
        return values;
    }

    @Test
    void shouldApplyDefaultsWhenOnlyRequiredKeysAreGiven() {
        // when
        MergerConfig config = MergerConfig.from(minimal());

        // then
        assertThat(config.plan().orElseThrow().runIds()).containsExactly("run-a", "run-b");
        assertThat(config.plan().orElseThrow().methods()).containsExactly("task_arithmetic");
        assertThat(config.plan().orElseThrow().minRuns()).isZero();
        assertThat(config.plan().orElseThrow().timeout()).isEqualTo(Duration.ZERO);
        assertThat(config.options().lambdas()).isEqualTo(LambdaGrid.adaptive());
        assertThat(config.groupId()).isEqualTo("upcycle-merger");
        assertThat(config.waitFor()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldNameTheKeyWhenARequiredKeyIsMissing() {
        // given
        Map<String, String> values = minimal();
        values.remove("plan.runs");

        // when / then
        assertThatThrownBy(() -> MergerConfig.from(values)).hasMessageContaining("configuration plan.runs:");
    }

    @Test
    void shouldTakeThePlansBaseFromItsExpertsWhenBothBaseKeysAreEmptyAndRefuseOneWithoutTheOther() {
        // given a plan without base keys, and plans with only one of them
        Map<String, String> noBase = minimal();
        noBase.remove("plan.base.uri");
        noBase.remove("plan.base.sha256");
        Map<String, String> uriOnly = minimal();
        uriOnly.remove("plan.base.sha256");
        Map<String, String> shaOnly = minimal();
        shaOnly.remove("plan.base.uri");

        // when / then
        assertThat(MergerConfig.from(noBase).plan().orElseThrow().baseFromExperts()).isTrue();
        assertThat(MergerConfig.from(minimal()).plan().orElseThrow().baseFromExperts()).isFalse();
        assertThatThrownBy(() -> MergerConfig.from(uriOnly)).hasMessageContaining("configuration plan.base.sha256:")
                .hasMessageContaining("required with plan.base.uri");
        assertThatThrownBy(() -> MergerConfig.from(shaOnly)).hasMessageContaining("configuration plan.base.uri:")
                .hasMessageContaining("required with plan.base.sha256");
    }

    @Test
    void shouldNameTheKeyWhenAValueIsInvalid() {
        // given
        Map<String, String> badSha = minimal();
        badSha.put("plan.base.sha256", "xyz");
        Map<String, String> badLambda = minimal();
        badLambda.put("lambdas", "0.5,-1");
        Map<String, String> badMethod = minimal();
        badMethod.put("plan.method", "tiez");

        // when / then
        assertThatThrownBy(() -> MergerConfig.from(badSha)).hasMessageContaining("configuration plan.base.sha256:");
        assertThatThrownBy(() -> MergerConfig.from(badLambda)).hasMessageContaining("configuration lambdas:");
        Map<String, String> trailingComma = minimal();
        trailingComma.put("lambdas", "0.5,");
        assertThatThrownBy(() -> MergerConfig.from(trailingComma)).hasMessageContaining("configuration lambdas:")
                .hasMessageContaining("'' is not a number");
        assertThatThrownBy(() -> MergerConfig.from(badMethod)).hasMessageContaining("configuration plan.method:")
                .hasMessageContaining("task_arithmetic");
    }

    @Test
    void shouldReadTheDifficultySplitWithDefaultsAndNameTheKeyOfABadValue() {
        // given
        Map<String, String> custom = minimal();
        custom.put("difficulty.reference.step", "64");
        custom.put("difficulty.hard.fraction", "0.2");
        Map<String, String> badFraction = minimal();
        badFraction.put("difficulty.hard.fraction", "1.5");
        Map<String, String> badStep = minimal();
        badStep.put("difficulty.reference.step", "-1");

        // when / then
        assertThat(MergerConfig.from(minimal()).options().difficulty()).isEqualTo(new DifficultyOptions(32, 0.1));
        assertThat(MergerConfig.from(custom).options().difficulty()).isEqualTo(new DifficultyOptions(64, 0.2));
        assertThatThrownBy(() -> MergerConfig.from(badFraction)).hasMessageContaining("configuration difficulty.hard.fraction:")
                .hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> MergerConfig.from(badStep)).hasMessageContaining("configuration difficulty.reference.step:");
    }

    @Test
    void shouldRefuseAnUnknownMergerKey() {
        // given a typo
        Map<String, String> values = minimal();
        values.put("lambda", "0.5");

        // when / then
        assertThatThrownBy(() -> MergerConfig.from(values)).hasMessageContaining("configuration lambda: not a key of the merger; did you mean 'lambdas'?");
    }

    @Test
    void shouldAcceptTiesWithADensityAndRefuseADensityForAMethodThatReadsNone() {
        // given
        Map<String, String> ties = minimal();
        ties.put("plan.method", "ties");
        ties.put("plan.density", "0.3");
        Map<String, String> taskArithmetic = minimal();
        taskArithmetic.put("plan.density", "0.3");
        Map<String, String> outOfRange = minimal();
        outOfRange.put("plan.method", "dare_ties");
        outOfRange.put("plan.density", "0");

        // when
        MergerConfig config = MergerConfig.from(ties);

        // then
        assertThat(config.plan().orElseThrow().methods()).containsExactly("ties");
        assertThat(config.options().density()).hasValue(0.3);
        assertThat(MergerConfig.from(minimal()).options().density()).isEmpty();
        assertThatThrownBy(() -> MergerConfig.from(taskArithmetic)).hasMessageContaining("configuration plan.density:")
                .hasMessageContaining("reads no density");
        assertThatThrownBy(() -> MergerConfig.from(outOfRange)).hasMessageContaining("configuration plan.density:");
    }

    @Test
    void shouldReadTheTrimScopeForMethodsThatTrimByMagnitudeOnly() {
        // given
        Map<String, String> ties = minimal();
        ties.put("plan.methods", "task_arithmetic,ties");
        ties.put("plan.trim.scope", "global");
        Map<String, String> dare = minimal();
        dare.put("plan.method", "dare_ties");
        dare.put("plan.trim.scope", "global");
        Map<String, String> bad = minimal();
        bad.put("plan.method", "ties");
        bad.put("plan.trim.scope", "layer");
        // when / then
        assertThat(MergerConfig.from(ties).options().trimScope()).isEqualTo(io.upcycle.merger.method.TrimScope.GLOBAL);
        assertThat(MergerConfig.from(minimal()).options().trimScope()).isNull();
        assertThatThrownBy(() -> MergerConfig.from(dare)).hasMessageContaining("configuration plan.trim.scope:")
                .hasMessageContaining("does not trim by magnitude");
        assertThatThrownBy(() -> MergerConfig.from(bad)).hasMessageContaining("configuration plan.trim.scope:")
                .hasMessageContaining("tensor or global");
    }

    @Test
    void shouldConfigureNoPlanWhenThePlanIdIsUnset() {
        // given plans only from the merge-plans topic
        Map<String, String> values = minimal();
        values.keySet().removeIf(key -> key.startsWith("plan."));

        // when
        MergerConfig config = MergerConfig.from(values);

        // then
        assertThat(config.plan()).isEmpty();
    }

    @Test
    void shouldReadSeveralMethodsAMinimumOfRunsAndATimeout() {
        // given
        Map<String, String> values = minimal();
        values.put("plan.methods", "ties, dare_ties");
        values.put("plan.min.runs", "1");
        values.put("plan.timeout.ms", "2500");
        values.put("plan.density", "0.4");

        // when
        PlanSpec plan = MergerConfig.from(values).plan().orElseThrow();

        // then
        assertThat(plan.methods()).containsExactly("ties", "dare_ties");
        assertThat(plan.minRuns()).isEqualTo(1);
        assertThat(plan.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(plan.tags()).isEmpty();
    }

    @Test
    void shouldNameThePlanKeyWhenMethodsMinimumOrTimeoutAreInvalid() {
        // given
        Map<String, String> tooMany = minimal();
        tooMany.put("plan.min.runs", "3");
        Map<String, String> negativeTimeout = minimal();
        negativeTimeout.put("plan.timeout.ms", "-1");
        Map<String, String> unknownMethod = minimal();
        unknownMethod.put("plan.methods", "ties,tiez");
        Map<String, String> both = minimal();
        both.put("plan.methods", "ties");
        both.put("plan.method", "average");
        Map<String, String> noBase = minimal();
        noBase.remove("plan.base.uri");

        // when / then
        assertThatThrownBy(() -> MergerConfig.from(tooMany)).hasMessageContaining("configuration plan.min.runs:")
                .hasMessageContaining("0 (all runs) to 2");
        assertThatThrownBy(() -> MergerConfig.from(negativeTimeout)).hasMessageContaining("configuration plan.timeout.ms:");
        assertThatThrownBy(() -> MergerConfig.from(unknownMethod)).hasMessageContaining("configuration plan.methods:")
                .hasMessageContaining("'tiez'").hasMessageContaining("dare_ties").hasMessageContaining("moe_arrow, moe_router");
        assertThatThrownBy(() -> MergerConfig.from(both)).hasMessageContaining("configuration plan.methods:");
        assertThatThrownBy(() -> MergerConfig.from(noBase)).hasMessageContaining("configuration plan.base.uri:");
    }
}
