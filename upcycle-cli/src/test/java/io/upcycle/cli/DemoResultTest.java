package io.upcycle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.schemas.avro.DifficultyScore;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.TaskScore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoResultTest {

    private static MergeCompleted merge(List<TaskScore> scores) {
        return MergeCompleted.newBuilder().setMergeId("m").setPlanId("p").setMethod("ties").setExperts(List.of())
                .setBaseSha256("ab".repeat(32)).setOutputUri("file:///m.safetensors").setOutputSha256("cd".repeat(32))
                .setScores(scores).setMergeMillis(1L).setEvalMillis(1L).build();
    }

    private static TaskScore score(String task, DifficultyScore difficulty) {
        return TaskScore.newBuilder().setTask(task).setMergedAccuracy(0.8).setExpertAccuracy(0.9)
                .setNormalizedAccuracy(0.8 / 0.9).setExamples(10).setDifficulty(difficulty).build();
    }

    @Test
    void shouldShowEasyAndHardAccuracyWhereATaskHasADifficultySplit() {
        // given one task with a split, one without
        DifficultyScore split = new DifficultyScore(32L, "file:///r", "ef".repeat(32), false, 0.1, 1.2, 90, 10,
                0.99, 0.7, 0.95, 0.3);
        DemoResult result = new DemoResult(List.of(), Map.of(), merge(List.of(score("grain", split), score("spam", null))));

        // when
        String table = result.table();

        // then
        assertThat(table).contains("merged easy").contains("merged hard").contains("expert hard");
        assertThat(table).containsPattern("grain .* 0\\.9500 +0\\.3000 +0\\.9900 +0\\.7000");
        assertThat(table).containsPattern("spam .* - +- +- +-");
        assertThat(table).contains("hard = top 10% by EL2N at step 32");
    }

    @Test
    void shouldKeepTheOldTableWhenNoTaskHasASplit() {
        // when
        String table = new DemoResult(List.of(), Map.of(), merge(List.of(score("grain", null)))).table();

        // then
        assertThat(table).contains("normalized").doesNotContain("merged easy").doesNotContain("EL2N");
    }
}
