package io.upcycle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.cli.study.Study;
import io.upcycle.cli.study.StudyOptions;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import io.upcycle.trainer.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The main job's smoke test ({@code upcycle demo --quick}) on the real broker and registry. */
@ExtendWith(LocalStackExtension.class)
class DemoIT {

    @Test
    void shouldObserveMergeAtEveryPointEnforceAndReportFromTheLog(StackEndpoints stack, @TempDir Path out) throws Exception {
        // given: the quick study on two tasks, one seed, both modes
        StudyOptions quick = StudyOptions.quick(out);
        StudyOptions options = new StudyOptions(List.of("grain", "fortune-lang-8"), quick.modes(), quick.seeds(), 512,
                quick.learningRate(), quick.loraRank(), List.of(32L, 512L), quick.methods(), quick.rules(), quick.heads(), true, true,
                quick.targetFraction(), quick.lossThreshold(), out);

        // when
        Study.Outcome outcome = new Study(stack, options, new PrintStream(System.out)).run();

        // then: the observe pass trained every expert to its budget and recorded where it would stop
        List<TrainingResult> observed = outcome.observed().values().stream().flatMap(List::stream).toList();
        assertThat(observed).hasSize(4).allSatisfy(run -> {
            assertThat(run.endReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
            assertThat(run.stepsDone()).isEqualTo(512);
            StopDecision decision = outcome.decisions().get(run.runId());
            assertThat(decision).as("decision of %s", run.runId()).isNotNull();
            assertThat(decision.getMode().name()).isEqualTo("OBSERVE");
        });
        // and every method was merged at every point, the automatic one at the decisions' checkpoints
        Map<String, List<MergeCompleted>> byMode = outcome.merges().stream()
                .collect(Collectors.groupingBy(m -> m.getTags().get("study.mode")));
        assertThat(byMode.keySet()).containsExactlyInAnyOrder("FULL", "LORA");
        for (MergeCompleted merge : outcome.merges()) {
            assertThat(merge.getScores()).extracting(s -> s.getTask()).containsExactlyInAnyOrder("grain", "fortune-lang-8");
            assertThat(merge.getScores()).allSatisfy(s -> assertThat(s.getMergedAccuracy()).isBetween(0.0, 1.0));
            String point = merge.getTags().get("study.point");
            merge.getExperts().forEach(expert -> {
                if (point.equals("auto")) {
                    assertThat(expert.getStep()).isEqualTo(outcome.decisions().get(expert.getRunId()).getCheckpointStep());
                } else if (point.equals("rule")) {
                    StopDecision replayed = outcome.ruleDecisions().get(merge.getTags().get("study.rule")).get(expert.getRunId());
                    assertThat(expert.getStep()).isEqualTo(replayed.getCheckpointStep());
                    assertThat(merge.getTags().get("study.decided")).contains(expert.getTask() + "=" + replayed.getDecidedAtStep());
                } else {
                    assertThat(expert.getStep()).isEqualTo(Long.parseLong(merge.getTags().get("study.length")));
                }
            });
        }
        assertThat(methodsAt(byMode.get("FULL"), "auto"))
                .containsExactlyInAnyOrder("base_heads", "task_arithmetic", "ties", "ties:global", "dare_ties");
        assertThat(methodsAt(byMode.get("LORA"), "auto"))
                .containsExactlyInAnyOrder("base_heads", "task_arithmetic", "ties", "ties:global", "dare_ties", "moe_arrow", "moe_router");
        assertThat(methodsAt(byMode.get("FULL"), "rule")).hasSize(5);
        assertThat(outcome.ruleDecisions().get("plateau")).hasSize(4);
        assertThat(methodsAt(byMode.get("FULL"), "length")).hasSize(10);
        assertThat(methodsAt(byMode.get("FULL"), "baseline")).containsExactly("linear_probe");
        // and the enforce pass stopped each run at or after its decided step, never past the budget
        List<TrainingResult> enforced = outcome.enforced().values().stream().flatMap(List::stream).toList();
        assertThat(enforced).hasSize(4).allSatisfy(run -> assertThat(run.stepsDone()).isBetween(1L, 512L));
        // and the report was built from the exported log
        assertThat(outcome.report().log()).isRegularFile();
        String html = Files.readString(outcome.report().html());
        assertThat(html).contains("<svg").contains("grain").contains("fortune-lang-8").doesNotContain("<script src");
        String summary = Files.readString(outcome.report().summary());
        assertThat(summary).contains("\"FULL\"").contains("\"LORA\"").contains("ties").contains(outcome.studyId());
    }

    private static List<String> methodsAt(List<MergeCompleted> merges, String point) {
        return merges.stream().filter(m -> m.getTags().get("study.point").equals(point))
                .map(m -> m.getTags().getOrDefault("study.method", m.getMethod())).toList();
    }
}
