package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.network.LoraSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run may start from a given head (a linear probe) and keep it frozen, so that only the trunk or its adapters learn. */
class StartHeadTest {
    private static final LoraSettings LORA = new LoraSettings(4, 8f, List.of(LoraLayout.TRUNK0, LoraLayout.TRUNK1));

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
    void shouldKeepAFrozenStartHeadBitForBitWhileTheTrunkLearns() {
        for (LoraSettings lora : new LoraSettings[] {null, LORA}) {
            // given a fixed head of the task's 3 classes, frozen
            ExpertTrainer.StartHead head = head(3, 5);
            RecordingTrainingEvents events = new RecordingTrainingEvents();
            // when the run trains 40 steps
            ExpertTrainer.builder().setRunId("frozen-" + (lora == null ? "full" : "lora")).setTask(task).setBase(base)
                    .setSettings(new TrainingSettings(40, 3e-3f, 32, 7, 0, new CheckpointSchedule(false, 0)))
                    .setCheckpointStore(new CheckpointStore(home.resolve("checkpoints"))).optEvents(events).optLora(lora)
                    .optStartHead(head).optTrainHead(false).build().train();
            // then the saved head is the start head, bit for bit, while the loss fell
            Path last = CheckpointStore.toPath(events.of(CheckpointSaved.class).get(0).getUri());
            String weight = lora == null ? ExpertLayout.HEAD_WEIGHT : LoraLayout.HEAD_WEIGHT;
            String bias = lora == null ? ExpertLayout.HEAD_BIAS : LoraLayout.HEAD_BIAS;
            try (SafetensorsFile file = Safetensors.open(last)) {
                assertThat(file.read(weight).data()).as("head weight, lora %s", lora).containsExactly(head.weight().data());
                assertThat(file.read(bias).data()).containsExactly(head.bias().data());
            }
            List<StepMetrics> steps = events.of(StepMetrics.class);
            assertThat(steps.get(39).getTrainLoss()).isLessThan(steps.get(0).getTrainLoss() / 2);
            // and the run says where its head came from and that it stayed frozen
            RunStarted started = events.of(RunStarted.class).get(0);
            assertThat(started.getHyperParameters()).containsEntry(ExpertTrainer.HEAD_SOURCE, "test probe")
                    .containsEntry(ExpertTrainer.HEAD_TRAINED, "false");
        }
    }

    @Test
    void shouldReadTheStartHeadFromTheFileConfigKeyHeadNamesAndRefuseOneWithoutAHead() {
        // given a head file and a file holding something else
        Path file = home.resolve("probe-head.safetensors");
        ExpertTrainer.StartHead head = head(3, 9);
        Safetensors.write(file, List.of(head.weight(), head.bias()), Map.of());
        Path other = home.resolve("other.safetensors");
        Safetensors.write(other, List.of(Tensor.of("w", new float[] {1}, 1)), Map.of());
        // when
        ExpertTrainer.StartHead read = TrainerService.startHead(TrainCommand.config("--head", file.toString(), "--train-head", "false"));
        // then
        assertThat(read.weight().data()).containsExactly(head.weight().data());
        assertThat(read.source()).contains(file.toString()).contains("sha256");
        assertThat(TrainerService.startHead(TrainCommand.config("--task", "grain"))).isNull();
        assertThatThrownBy(() -> TrainerService.startHead(TrainCommand.config("--head", other.toString())))
                .hasMessageContaining("configuration head").hasMessageContaining("holds no tensor 'head.weight'");
        assertThatThrownBy(() -> TrainerService.startHead(TrainCommand.config("--head", home.resolve("none").toString())))
                .hasMessageContaining("configuration head: no file");
    }

    private static ExpertTrainer.StartHead head(int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] weight = new float[classes * ExpertLayout.HIDDEN_DIM];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextGaussian() * 0.1f;
        }
        float[] bias = new float[classes];
        return new ExpertTrainer.StartHead(Tensor.of(ExpertLayout.HEAD_WEIGHT, weight, classes, ExpertLayout.HIDDEN_DIM),
                Tensor.of(ExpertLayout.HEAD_BIAS, bias, classes), "test probe");
    }
}
