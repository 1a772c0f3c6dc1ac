package io.upcycle.trainer.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.trainer.ExpertTrainer;
import io.upcycle.trainer.RecordingTrainingEvents;
import io.upcycle.trainer.SyntheticTasks;
import io.upcycle.trainer.TrainingSettings;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.network.ExpertInit;
import io.upcycle.trainer.network.LoraSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpertInitTest {
    private static final LoraSettings LORA = new LoraSettings(4, 8f, List.of(LoraLayout.TRUNK0, LoraLayout.TRUNK1));

    @TempDir
    static Path home;
    private static BaseModel base;

    @BeforeAll
    static void pretrainATinyBase() {
        base = SyntheticTasks.tinyBase(home.resolve("base"));
    }

    @Test
    void shouldDeriveDifferentSeedsForDifferentTasksAndTheSameForTheSameSeedAndTask() {
        assertThat(ExpertInit.seed(1, "spam")).isNotEqualTo(ExpertInit.seed(1, "grain"));
        assertThat(ExpertInit.seed(1, "spam")).isNotEqualTo(ExpertInit.seed(2, "spam"));
        assertThat(ExpertInit.seed(1, "spam")).isEqualTo(ExpertInit.seed(1, "spam"));
    }

    @Test
    void shouldStartTwoTasksOfOneSeedFromDifferentHeadsAndTheSameTaskTwiceFromTheSameHead() {
        // given two tasks with the same class count, trained with the same run seed
        TaskData a = SyntheticTasks.clusters("task-a", 3, 96, 4, 2);
        TaskData b = SyntheticTasks.clusters("task-b", 3, 96, 4, 2);
        // when each starts (one step at a learning rate too small to move a weight), task-a twice
        Start first = start("full-a1", a, null);
        Start second = start("full-a2", a, null);
        Start other = start("full-b", b, null);
        // then the same (seed, task) starts from the same head, another task from another one
        assertThat(first.head()).isEqualTo(second.head());
        assertThat(first.head()).isNotEqualTo(other.head());
        // and the rule and the derived seed are recorded in RunStarted and in the checkpoint
        assertThat(first.started().getHyperParameters())
                .containsEntry(ExpertInit.SEED_KEY, Long.toString(ExpertInit.seed(7, "task-a")))
                .containsEntry(ExpertInit.RULE_KEY, ExpertInit.RULE);
        assertThat(first.metadata()).containsEntry("upcycle." + ExpertInit.SEED_KEY, Long.toString(ExpertInit.seed(7, "task-a")));
    }

    @Test
    void shouldStartTwoTasksOfOneSeedFromDifferentAdapters() {
        // given LoRA runs of two tasks with the same run seed
        TaskData a = SyntheticTasks.clusters("task-a", 3, 96, 4, 2);
        TaskData b = SyntheticTasks.clusters("task-b", 3, 96, 4, 2);
        // when each starts, task-a twice
        Start first = start("lora-a1", a, LORA);
        Start second = start("lora-a2", a, LORA);
        Start other = start("lora-b", b, LORA);
        // then every adapter's A is the same for the same (seed, task) and differs across tasks, as do the heads
        for (String target : LORA.targets()) {
            assertThat(first.tensor(LoraLayout.loraA(target))).as(target).isEqualTo(second.tensor(LoraLayout.loraA(target)));
            assertThat(first.tensor(LoraLayout.loraA(target))).as(target).isNotEqualTo(other.tensor(LoraLayout.loraA(target)));
        }
        assertThat(first.tensor(LoraLayout.HEAD_WEIGHT)).isNotEqualTo(other.tensor(LoraLayout.HEAD_WEIGHT));
    }

    /** What a run starts from: its RunStarted and its step-1 checkpoint, taken at a learning rate of 1e-30. */
    private record Start(RunStarted started, Path checkpoint, java.util.Map<String, String> metadata) {
        float[] head() {
            return tensor(ExpertLayout.HEAD_WEIGHT);
        }

        float[] tensor(String name) {
            try (SafetensorsFile file = Safetensors.open(checkpoint)) {
                return file.read(name).data();
            }
        }
    }

    private static Start start(String runId, TaskData task, LoraSettings lora) {
        RecordingTrainingEvents events = new RecordingTrainingEvents();
        ExpertTrainer.builder().setRunId(runId).setTask(task).setBase(base)
                .setSettings(new TrainingSettings(1, 1e-30f, 32, 7, 0, new CheckpointSchedule(true, 0)))
                .setCheckpointStore(new CheckpointStore(home.resolve("checkpoints"))).optEvents(events).optLora(lora)
                .build().train();
        Path checkpoint = CheckpointStore.toPath(events.of(CheckpointSaved.class).get(0).getUri());
        try (SafetensorsFile file = Safetensors.open(checkpoint)) {
            return new Start(events.of(RunStarted.class).get(0), checkpoint, file.metadata());
        }
    }
}
