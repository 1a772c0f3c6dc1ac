package io.upcycle.merger.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.merger.plan.MergePlan;
import io.upcycle.merger.plan.PlanSpec;
import io.upcycle.schemas.avro.MergeRequested;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanSpecTest {
    private static final String SHA = "d".repeat(64);

    @Test
    void shouldReadBackTheSamePlanFromItsEvent() {
        // given
        PlanSpec plan = new PlanSpec("p-1", List.of("a", "b", "c"), List.of("ties", "average"), 2, Duration.ofSeconds(30),
                "file:///base.safetensors", SHA, Map.of("study.id", "s"));

        // when
        MergeRequested event = plan.toEvent();

        // then
        assertThat(PlanSpec.from(event)).isEqualTo(plan);
        assertThat(event.getTimeoutMs()).isEqualTo(30_000L);
        assertThat(plan.quorum()).isEqualTo(2);
        assertThat(plan.mergePlan("ties", List.of("a", "c"))).isEqualTo(new MergePlan("p-1", List.of("a", "c"), "ties",
                "file:///base.safetensors", SHA, Map.of("study.id", "s"),
                Map.of("plan.runs.merged", "2/3", "plan.min.runs", "2", "plan.timeout.ms", "30000")));
    }

    @Test
    void shouldDefaultToAllRunsAndNoTimeoutWhenTheEventLeavesThemOut() {
        // given an event with only the required fields
        MergeRequested event = MergeRequested.newBuilder().setPlanId("p-2").setRunIds(List.of("a", "b"))
                .setMethods(List.of("task_arithmetic")).setBaseUri("file:///base.safetensors").setBaseSha256(SHA).build();

        // when
        PlanSpec plan = PlanSpec.from(event);

        // then
        assertThat(plan.minRuns()).isZero();
        assertThat(plan.quorum()).isEqualTo(2);
        assertThat(plan.timeout()).isEqualTo(Duration.ZERO);
        assertThat(plan.tags()).isEmpty();
    }

    @Test
    void shouldRefuseAnInvalidPlanSayingWhy() {
        assertThatThrownBy(() -> new PlanSpec("p", List.of("a"), List.of("ties"), 2, Duration.ZERO, "file:///b", SHA, Map.of()))
                .hasMessageContaining("minRuns 2").hasMessageContaining("0 (all) to 1");
        assertThatThrownBy(() -> new PlanSpec("p", List.of("a", "a"), List.of("ties"), 0, Duration.ZERO, "file:///b", SHA, Map.of()))
                .hasMessageContaining("no duplicates");
        assertThatThrownBy(() -> new PlanSpec("p", List.of("a"), List.of(), 0, Duration.ZERO, "file:///b", SHA, Map.of()))
                .hasMessageContaining("at least one method");
        assertThatThrownBy(() -> new PlanSpec("p q", List.of("a"), List.of("ties"), 0, Duration.ZERO, "file:///b", SHA, Map.of()))
                .hasMessageContaining("plan id 'p q'");
        assertThatThrownBy(() -> new PlanSpec("p", List.of("a"), List.of("ties"), 0, Duration.ofMillis(-1), "file:///b", SHA,
                Map.of())).hasMessageContaining("negative timeout");
        assertThatThrownBy(() -> new PlanSpec("p", List.of("a"), List.of("ties"), 0, Duration.ZERO, "file:///b", "xyz", Map.of()))
                .hasMessageContaining("sha256 'xyz'");
    }
}
