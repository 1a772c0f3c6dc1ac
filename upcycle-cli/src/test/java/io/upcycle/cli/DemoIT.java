package io.upcycle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExpertRef;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.stack.junit.LocalStackExtension;
import io.upcycle.trainer.TrainingResult;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole loop on the real broker and registry: train, stop on the monitor's decision, merge. */
@ExtendWith(LocalStackExtension.class)
class DemoIT {

    @Test
    void shouldStopEachExpertOnItsDecisionAndMergeTheChosenCheckpoints(StackEndpoints stack) throws Exception {
        // given: a budget far beyond the point where both tasks learn their training sets
        DemoOptions options = new DemoOptions(List.of("fortune-topic-6", "fortune-lang-8"), 3000, 0.003f, 1, 0.95, 0.1);

        // when
        DemoResult result = new Demo(stack, options, new PrintStream(System.out)).run();

        // then: every expert was stopped by the monitor before its budget, by the decision it names
        assertThat(result.trainings()).hasSize(2);
        for (TrainingResult run : result.trainings()) {
            StopDecision decision = result.decisions().get(run.runId());
            assertThat(decision).as("decision for %s", run.runId()).isNotNull();
            assertThat(run.endReason()).isEqualTo(EndReason.STOPPED);
            assertThat(run.stopDecisionId()).isEqualTo(decision.getDecisionId());
            assertThat(run.stepsDone()).isLessThan(3000).isGreaterThanOrEqualTo(decision.getDecidedAtStep());
            assertThat(run.stopRequestedAfterStep()).as("stop request seen by %s", run.runId()).isPresent();
            assertThat(run.stepsDone() - run.stopRequestedAfterStep().getAsLong()).as("steps after the request").isLessThanOrEqualTo(1);
        }
        // and the merge used exactly the checkpoints the decisions chose, and scored every task
        for (ExpertRef expert : result.merge().getExperts()) {
            StopDecision decision = result.decisions().get(expert.getRunId());
            assertThat(expert.getStep()).isEqualTo(decision.getCheckpointStep());
            assertThat(expert.getSha256()).isEqualTo(decision.getCheckpointSha256());
        }
        assertThat(result.merge().getScores()).extracting(s -> s.getTask())
                .containsExactlyInAnyOrder("fortune-topic-6", "fortune-lang-8");
        assertThat(result.merge().getScores()).allSatisfy(score -> {
            assertThat(score.getExpertAccuracy()).isGreaterThan(0.5);
            assertThat(score.getMergedAccuracy()).isGreaterThan(1.0 / 8);
        });
        assertThat(result.table()).contains("fortune-topic-6").contains("normalized");
    }
}
