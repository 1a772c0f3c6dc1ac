package io.upcycle.cli.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.schemas.avro.CheckpointKind;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.StopDecision;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StudyPointTest {
    private static final List<String> RUNS = List.of("r-a", "r-b");
    private static final Map<String, String> TASKS = Map.of("r-a", "a", "r-b", "b");

    private static CheckpointSaved saved(String run, long step) {
        return CheckpointSaved.newBuilder().setRunId(run).setStep(step).setUri("file:/c/" + run + "/" + step)
                .setSha256("sha-" + run + "-" + step).setSizeBytes(1).setKind(CheckpointKind.FULL_WEIGHTS).build();
    }

    private static StopDecision decision(String run, Long checkpointStep) {
        return StopDecision.newBuilder().setDecisionId(run + ":p").setRunId(run).setTask(TASKS.get(run)).setDecidedAtStep(99)
                .setCheckpointStep(checkpointStep).setCheckpointUri(checkpointStep == null ? null : "file:/c/" + run + "/" + checkpointStep)
                .setCheckpointSha256(checkpointStep == null ? null : "sha-" + run + "-" + checkpointStep).setPolicy("p")
                .setPolicyVersion(1).setMode(DecisionMode.OBSERVE).setReason("r").build();
    }

    private static Map<String, NavigableMap<Long, CheckpointSaved>> checkpoints() {
        Map<String, NavigableMap<Long, CheckpointSaved>> all = new java.util.HashMap<>();
        for (String run : RUNS) {
            NavigableMap<Long, CheckpointSaved> steps = new TreeMap<>();
            for (long step : List.of(32L, 64L, 96L)) {
                steps.put(step, saved(run, step));
            }
            all.put(run, steps);
        }
        return all;
    }

    @Test
    void shouldMergeEachRunAtTheCheckpointItsDecisionChose() {
        // given: the runs stopped at different checkpoints
        Map<String, StopDecision> decisions = Map.of("r-a", decision("r-a", 32L), "r-b", decision("r-b", 96L));
        // when
        Optional<List<ExpertCheckpoint>> experts = StudyPoint.auto().experts(RUNS, TASKS, decisions, checkpoints());
        // then
        assertThat(experts).get().asList().extracting("step").containsExactly(32L, 96L);
        assertThat(experts.get().get(1).sha256()).isEqualTo("sha-r-b-96");
        assertThat(experts.get().get(0).task()).isEqualTo("a");
    }

    @Test
    void shouldMergeEveryRunAtTheSameFixedLength() {
        // when
        Optional<List<ExpertCheckpoint>> experts = StudyPoint.length(64).experts(RUNS, TASKS, Map.of(), checkpoints());
        // then
        assertThat(experts).get().asList().extracting("step").containsExactly(64L, 64L);
        assertThat(experts.get()).extracting(ExpertCheckpoint::uri).containsExactly("file:/c/r-a/64", "file:/c/r-b/64");
    }

    @Test
    void shouldSkipAPointWhereARunHasNoCheckpoint() {
        // then: a length no run saved, a missing decision, a decision without a checkpoint
        assertThat(StudyPoint.length(128).experts(RUNS, TASKS, Map.of(), checkpoints())).isEmpty();
        assertThat(StudyPoint.auto().experts(RUNS, TASKS, Map.of("r-a", decision("r-a", 32L)), checkpoints())).isEmpty();
        assertThat(StudyPoint.auto().experts(RUNS, TASKS, Map.of("r-a", decision("r-a", 32L), "r-b", decision("r-b", null)),
                checkpoints())).isEmpty();
    }

    @Test
    void shouldMergeAReplayedRulesPointAtThatRulesDecisionsAndAutoAtTheLiveOnes() {
        // given live decisions and a replayed rule's, at other checkpoints
        Map<String, StopDecision> live = Map.of("r-a", decision("r-a", 96L), "r-b", decision("r-b", 96L));
        Map<String, Map<String, StopDecision>> replayed = Map.of("plateau", Map.of("r-a", decision("r-a", 32L), "r-b", decision("r-b", 64L)));
        // when
        StudyPoint rule = StudyPoint.rule("plateau");
        Optional<List<ExpertCheckpoint>> atRule = rule.experts(RUNS, TASKS, rule.decisions(live, replayed), checkpoints());
        Optional<List<ExpertCheckpoint>> atAuto = StudyPoint.auto().experts(RUNS, TASKS,
                StudyPoint.auto().decisions(live, replayed), checkpoints());
        // then
        assertThat(atRule).get().asList().extracting("step").containsExactly(32L, 64L);
        assertThat(atAuto).get().asList().extracting("step").containsExactly(96L, 96L);
        assertThat(rule.isStop()).isTrue();
        assertThat(StudyPoint.length(64).isStop()).isFalse();
        assertThat(StudyPoint.rule("budget").experts(RUNS, TASKS, StudyPoint.rule("budget").decisions(live, replayed), checkpoints()))
                .isEmpty();
    }

    @Test
    void shouldLabelPointsForPlanIds() {
        assertThat(StudyPoint.auto().label()).isEqualTo("auto");
        assertThat(StudyPoint.rule("plateau").label()).isEqualTo("rule-plateau");
        assertThat(StudyPoint.length(256).label()).isEqualTo("len-256");
    }

    @Test
    void shouldReadStudyMethodsWithATrimScopeAndTheBaseHeadsBaseline() {
        assertThat(StudyMethod.parse("ties:global")).extracting(StudyMethod::method, StudyMethod::trimScope)
                .containsExactly("ties", io.upcycle.merger.method.TrimScope.GLOBAL);
        assertThat(StudyMethod.parse("ties").trimScope()).isNull();
        StudyMethod baseline = StudyMethod.parse("base_heads");
        assertThat(baseline.method()).isEqualTo("task_arithmetic");
        assertThat(baseline.lambdas().start()).containsExactly(0.0);
        assertThat(baseline.lambdas().widens()).isFalse();
    }
}
