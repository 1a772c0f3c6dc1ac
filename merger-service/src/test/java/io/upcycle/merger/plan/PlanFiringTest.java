package io.upcycle.merger.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.plan.PlanFiring;
import io.upcycle.merger.plan.PlanSpec;
import io.upcycle.merger.plan.SeenDecisions;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.StopDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanFiringTest {
    private static final String SHA = "c".repeat(64);

    private static PlanSpec plan(String id, List<String> runs, int minRuns, long timeoutMs) {
        return new PlanSpec(id, runs, List.of("task_arithmetic"), minRuns, Duration.ofMillis(timeoutMs),
                "file:///base/step-0.safetensors", SHA, Map.of());
    }

    private static StopDecision decision(String run, long step) {
        return StopDecision.newBuilder().setDecisionId(run + "/learned-fraction/" + step).setRunId(run).setTask("task-" + run)
                .setDecidedAtStep(step + 2).setCheckpointStep(step).setCheckpointUri("file:///ckpt/" + run + "/step-" + step + ".safetensors")
                .setCheckpointSha256(Integer.toHexString(run.hashCode()).repeat(8).substring(0, 8).repeat(8))
                .setPolicy("learned-fraction").setPolicyVersion(1).setMode(DecisionMode.ENFORCE).setReason("test").build();
    }

    private static List<String> runs(PlanFiring.Decision decision) {
        assertThat(decision).isInstanceOf(PlanFiring.Fire.class);
        return ((PlanFiring.Fire) decision).experts().stream().map(ExpertCheckpoint::runId).toList();
    }

    @Test
    void shouldWaitUntilEveryRunHasADecisionThenFireWithAllInPlanOrder() {
        // given a plan of all 3 runs (minRuns 0)
        PlanSpec plan = plan("all", List.of("a", "b", "c"), 0, 0);
        SeenDecisions seen = new SeenDecisions();
        seen.offer(decision("c", 8), 1_000);
        seen.offer(decision("a", 4), 2_000);

        // when
        PlanFiring.Decision twoOfThree = PlanFiring.decide(plan, seen, false, 1_000_000);
        seen.offer(decision("b", 16), 3_000);
        PlanFiring.Decision threeOfThree = PlanFiring.decide(plan, seen, false, 3_000);

        // then no timeout applies without minRuns, and the experts follow the plan's order
        assertThat(twoOfThree).isEqualTo(new PlanFiring.Wait(2, 3, Optional.empty()));
        assertThat(runs(threeOfThree)).containsExactly("a", "b", "c");
        assertThat(((PlanFiring.Fire) threeOfThree).runsMerged()).isEqualTo("3/3");
    }

    @Test
    void shouldFireWithTheDecidedRunsOnlyOnceTheTimeoutHasPassedSinceTheMinRunsThDecision() {
        // given 2 of 4 runs needed, 500 ms timeout; decisions of d at 1000 and b at 1200
        PlanSpec plan = plan("n-of-m", List.of("a", "b", "c", "d"), 2, 500);
        SeenDecisions seen = new SeenDecisions();
        seen.offer(decision("d", 8), 1_000);

        // when
        PlanFiring.Decision oneDecided = PlanFiring.decide(plan, seen, false, 5_000);
        seen.offer(decision("b", 8), 1_200);
        PlanFiring.Decision beforeTimeout = PlanFiring.decide(plan, seen, false, 1_699);
        PlanFiring.Decision atTimeout = PlanFiring.decide(plan, seen, false, 1_700);

        // then the clock starts at the 2nd decision (1200), not the 1st
        assertThat(oneDecided).isEqualTo(new PlanFiring.Wait(1, 2, Optional.empty()));
        assertThat(beforeTimeout).isEqualTo(new PlanFiring.Wait(2, 2, Optional.of(1_700L)));
        assertThat(runs(atTimeout)).containsExactly("b", "d");
        assertThat(((PlanFiring.Fire) atTimeout).runsMerged()).isEqualTo("2/4");
    }

    @Test
    void shouldFireAtOnceWithAllRunsWhenTheLastDecisionArrivesBeforeTheTimeout() {
        // given
        PlanSpec plan = plan("early-complete", List.of("a", "b"), 1, 60_000);
        SeenDecisions seen = new SeenDecisions();
        seen.offer(decision("a", 8), 1_000);
        seen.offer(decision("b", 8), 1_100);

        // when
        PlanFiring.Decision decision = PlanFiring.decide(plan, seen, false, 1_100);

        // then
        assertThat(runs(decision)).containsExactly("a", "b");
    }

    @Test
    void shouldCountADuplicateDecisionIdAndASecondDecisionOfARunOnce() {
        // given
        PlanSpec plan = plan("dup", List.of("a", "b"), 0, 0);
        SeenDecisions seen = new SeenDecisions();

        // when
        SeenDecisions.Outcome first = seen.offer(decision("a", 4), 1_000);
        SeenDecisions.Outcome replayed = seen.offer(decision("a", 4), 9_000);
        SeenDecisions.Outcome later = seen.offer(decision("a", 64), 9_500);
        PlanFiring.Decision decision = PlanFiring.decide(plan, seen, false, 10_000);

        // then the first decision of a run counts, with its first arrival
        assertThat(List.of(first, replayed, later)).containsExactly(SeenDecisions.Outcome.RECORDED,
                SeenDecisions.Outcome.DUPLICATE, SeenDecisions.Outcome.RUN_ALREADY_DECIDED);
        assertThat(decision).isEqualTo(new PlanFiring.Wait(1, 2, Optional.empty()));
        assertThat(seen.of("a").orElseThrow().expert().step()).isEqualTo(4L);
        assertThat(seen.of("a").orElseThrow().arrivedAtMs()).isEqualTo(1_000L);
    }

    @Test
    void shouldNotFireAnyPlanForADecisionOfARunOfNoPlan() {
        // given
        PlanSpec plan = plan("p", List.of("a"), 1, 0);
        SeenDecisions seen = new SeenDecisions();

        // when
        seen.offer(decision("stranger", 4), 1_000);
        PlanFiring.Decision decision = PlanFiring.decide(plan, seen, false, 1_000_000);

        // then
        assertThat(decision).isEqualTo(new PlanFiring.Wait(0, 1, Optional.empty()));
    }

    @Test
    void shouldFireTwoPlansThatShareARunEachWithItsOwnRule() {
        // given plan x needs a and b; plan y needs b, c, or 1 of them after 100 ms
        PlanSpec x = plan("x", List.of("a", "b"), 0, 0);
        PlanSpec y = plan("y", List.of("b", "c"), 1, 100);
        SeenDecisions seen = new SeenDecisions();
        seen.offer(decision("a", 4), 1_000);

        // when the shared run b decides
        seen.offer(decision("b", 8), 2_000);
        PlanFiring.Decision xNow = PlanFiring.decide(x, seen, false, 2_000);
        PlanFiring.Decision yNow = PlanFiring.decide(y, seen, false, 2_000);
        PlanFiring.Decision yLater = PlanFiring.decide(y, seen, false, 2_100);

        // then
        assertThat(runs(xNow)).containsExactly("a", "b");
        assertThat(yNow).isEqualTo(new PlanFiring.Wait(1, 1, Optional.of(2_100L)));
        assertThat(runs(yLater)).containsExactly("b");
    }

    @Test
    void shouldSkipAPlanThatAlreadyFiredWhateverArrivesLater() {
        // given
        PlanSpec plan = plan("fired", List.of("a"), 0, 0);
        SeenDecisions seen = new SeenDecisions();
        seen.offer(decision("a", 4), 1_000);

        // when
        PlanFiring.Decision decision = PlanFiring.decide(plan, seen, true, 2_000);

        // then
        assertThat(decision).isInstanceOf(PlanFiring.Skip.class);
        assertThat(((PlanFiring.Skip) decision).reason()).contains("first firing wins");
    }
}
