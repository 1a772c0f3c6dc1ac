package io.upcycle.merger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        values.put("merger.plan.id", "plan-1");
        values.put("merger.plan.runs", "run-a, run-b");
        values.put("merger.plan.base.uri", "file:///tmp/base/step-0.safetensors");
        values.put("merger.plan.base.sha256", SHA);
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
        values.remove("merger.plan.runs");

        // when / then
        assertThatThrownBy(() -> MergerConfig.from(values)).hasMessageContaining("'merger.plan.runs'");
    }

    @Test
    void shouldNameTheKeyWhenAValueIsInvalid() {
        // given
        Map<String, String> badSha = minimal();
        badSha.put("merger.plan.base.sha256", "xyz");
        Map<String, String> badLambda = minimal();
        badLambda.put("merger.lambdas", "0.5,-1");
        Map<String, String> badMethod = minimal();
        badMethod.put("merger.plan.method", "tiez");

        // when / then
        assertThatThrownBy(() -> MergerConfig.from(badSha)).hasMessageContaining("'merger.plan.base.sha256'");
        assertThatThrownBy(() -> MergerConfig.from(badLambda)).hasMessageContaining("'merger.lambdas'");
        assertThatThrownBy(() -> MergerConfig.from(badMethod)).hasMessageContaining("'merger.plan.method'")
                .hasMessageContaining("task_arithmetic");
    }

    @Test
    void shouldReadTheDifficultySplitWithDefaultsAndNameTheKeyOfABadValue() {
        // given
        Map<String, String> custom = minimal();
        custom.put("merger.difficulty.reference.step", "64");
        custom.put("merger.difficulty.hard.fraction", "0.2");
        Map<String, String> badFraction = minimal();
        badFraction.put("merger.difficulty.hard.fraction", "1.5");
        Map<String, String> badStep = minimal();
        badStep.put("merger.difficulty.reference.step", "-1");

        // when / then
        assertThat(MergerConfig.from(minimal()).options().difficulty()).isEqualTo(new DifficultyOptions(32, 0.1));
        assertThat(MergerConfig.from(custom).options().difficulty()).isEqualTo(new DifficultyOptions(64, 0.2));
        assertThatThrownBy(() -> MergerConfig.from(badFraction)).hasMessageContaining("'merger.difficulty.hard.fraction'")
                .hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> MergerConfig.from(badStep)).hasMessageContaining("'merger.difficulty.reference.step'");
    }

    @Test
    void shouldRefuseAnUnknownMergerKey() {
        // given a typo
        Map<String, String> values = minimal();
        values.put("merger.lambda", "0.5");

        // when / then
        assertThatThrownBy(() -> MergerConfig.from(values)).hasMessageContaining("unknown config key 'merger.lambda'");
    }

    @Test
    void shouldAcceptTiesWithADensityAndRefuseADensityForAMethodThatReadsNone() {
        // given
        Map<String, String> ties = minimal();
        ties.put("merger.plan.method", "ties");
        ties.put("merger.plan.density", "0.3");
        Map<String, String> taskArithmetic = minimal();
        taskArithmetic.put("merger.plan.density", "0.3");
        Map<String, String> outOfRange = minimal();
        outOfRange.put("merger.plan.method", "dare_ties");
        outOfRange.put("merger.plan.density", "0");

        // when
        MergerConfig config = MergerConfig.from(ties);

        // then
        assertThat(config.plan().orElseThrow().methods()).containsExactly("ties");
        assertThat(config.options().density()).hasValue(0.3);
        assertThat(MergerConfig.from(minimal()).options().density()).isEmpty();
        assertThatThrownBy(() -> MergerConfig.from(taskArithmetic)).hasMessageContaining("'merger.plan.density'")
                .hasMessageContaining("reads no density");
        assertThatThrownBy(() -> MergerConfig.from(outOfRange)).hasMessageContaining("'merger.plan.density'");
    }

    @Test
    void shouldReadTheTrimScopeForMethodsThatTrimByMagnitudeOnly() {
        // given
        Map<String, String> ties = minimal();
        ties.put("merger.plan.methods", "task_arithmetic,ties");
        ties.put("merger.plan.trim.scope", "global");
        Map<String, String> dare = minimal();
        dare.put("merger.plan.method", "dare_ties");
        dare.put("merger.plan.trim.scope", "global");
        Map<String, String> bad = minimal();
        bad.put("merger.plan.method", "ties");
        bad.put("merger.plan.trim.scope", "layer");
        // when / then
        assertThat(MergerConfig.from(ties).options().trimScope()).isEqualTo(io.upcycle.merger.method.TrimScope.GLOBAL);
        assertThat(MergerConfig.from(minimal()).options().trimScope()).isNull();
        assertThatThrownBy(() -> MergerConfig.from(dare)).hasMessageContaining("'merger.plan.trim.scope'")
                .hasMessageContaining("does not trim by magnitude");
        assertThatThrownBy(() -> MergerConfig.from(bad)).hasMessageContaining("'merger.plan.trim.scope'")
                .hasMessageContaining("tensor or global");
    }

    @Test
    void shouldConfigureNoPlanWhenThePlanIdIsUnset() {
        // given plans only from the merge-plans topic
        Map<String, String> values = minimal();
        values.keySet().removeIf(key -> key.startsWith("merger.plan."));

        // when
        MergerConfig config = MergerConfig.from(values);

        // then
        assertThat(config.plan()).isEmpty();
    }

    @Test
    void shouldReadSeveralMethodsAMinimumOfRunsAndATimeout() {
        // given
        Map<String, String> values = minimal();
        values.put("merger.plan.methods", "ties, dare_ties");
        values.put("merger.plan.min.runs", "1");
        values.put("merger.plan.timeout.ms", "2500");
        values.put("merger.plan.density", "0.4");

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
        tooMany.put("merger.plan.min.runs", "3");
        Map<String, String> negativeTimeout = minimal();
        negativeTimeout.put("merger.plan.timeout.ms", "-1");
        Map<String, String> unknownMethod = minimal();
        unknownMethod.put("merger.plan.methods", "ties,tiez");
        Map<String, String> both = minimal();
        both.put("merger.plan.methods", "ties");
        both.put("merger.plan.method", "average");
        Map<String, String> noBase = minimal();
        noBase.remove("merger.plan.base.uri");

        // when / then
        assertThatThrownBy(() -> MergerConfig.from(tooMany)).hasMessageContaining("'merger.plan.min.runs'")
                .hasMessageContaining("0 (all runs) to 2");
        assertThatThrownBy(() -> MergerConfig.from(negativeTimeout)).hasMessageContaining("'merger.plan.timeout.ms'");
        assertThatThrownBy(() -> MergerConfig.from(unknownMethod)).hasMessageContaining("'merger.plan.methods'")
                .hasMessageContaining("'tiez'").hasMessageContaining("dare_ties").hasMessageContaining("moe_arrow, moe_router");
        assertThatThrownBy(() -> MergerConfig.from(both)).hasMessageContaining("'merger.plan.methods'");
        assertThatThrownBy(() -> MergerConfig.from(noBase)).hasMessageContaining("'merger.plan.base.uri'");
    }
}
