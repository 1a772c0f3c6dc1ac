package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.optimizer.LearningRateSchedule;
import io.upcycle.trainer.optimizer.OptimizerKind;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SGD, the cosine schedule and periodic full passes in a real (tiny) run. */
class TrainingOptionsTest {
    @TempDir
    static Path home;
    private static BaseModel base;
    private static TaskData task;

    @BeforeAll
    static void pretrainATinyBase() {
        base = SyntheticTasks.tinyBase(home.resolve("base"));
        task = SyntheticTasks.tinyTask();
    }

    @Test
    void shouldReportTheScheduledRateAndPublishFullPassesWhenConfigured() {
        // given 12 SGD steps on a cosine schedule with a full pass every 5 steps
        TrainingSettings settings = new TrainingSettings(12, 0.05f, 32, 7, 0, new CheckpointSchedule(false, 0),
                OptimizerKind.SGD, LearningRateSchedule.COSINE, 5);
        RecordingTrainingEvents events = new RecordingTrainingEvents();
        // when
        ExpertTrainer.builder().setRunId("run-options").setTask(task).setBase(base).setSettings(settings)
                .setCheckpointStore(new CheckpointStore(home.resolve("checkpoints"))).optEvents(events).build().train();
        // then every step reports the cosine rate in force
        List<StepMetrics> steps = events.of(StepMetrics.class);
        for (StepMetrics m : steps) {
            assertThat(m.getLearningRate()).isEqualTo(LearningRateSchedule.COSINE.rate(0.05f, m.getStep(), 12));
        }
        // and SGD still learns
        assertThat(steps.get(11).getTrainLoss()).isLessThan(steps.get(0).getTrainLoss());
        // and steps 5 and 10 are followed by a full pass over all 300 examples, flagged as such
        List<ExampleLosses> full = events.of(ExampleLosses.class).stream().filter(ExampleLosses::getFullPass).toList();
        assertThat(full).extracting(ExampleLosses::getStep).containsExactly(5L, 10L);
        assertThat(full.get(0).getExampleIds()).containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
        assertThat(full.get(0).getLosses()).hasSize(300).allSatisfy(loss -> assertThat(loss).isNotNegative());
        List<ExampleLosses> all = events.of(ExampleLosses.class);
        assertThat(all.indexOf(full.get(0))).isEqualTo(5);
        assertThat(all.get(4).getStep()).isEqualTo(5L);
        assertThat(all.get(4).getFullPass()).isFalse();
    }
}
