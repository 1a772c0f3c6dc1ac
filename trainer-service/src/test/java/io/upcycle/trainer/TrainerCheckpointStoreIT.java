package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.files.FileTrees;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicTail;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint store that cannot be written fails the run naming the path; once fixed, the run goes on. */
@ExtendWith(LocalStackExtension.class)
class TrainerCheckpointStoreIT {
    private static final long STEPS = 1500;

    @TempDir
    Path home;

    @Test
    void shouldRefuseToStartWhenTheRunFolderCannotBeWrittenAndPublishNothing(StackEndpoints stack) throws Exception {
        // given the run's checkpoint folder taken by a file (writable by nobody, root included)
        String runId = "store-start-" + System.nanoTime();
        Map<String, String> config = config(stack, runId);
        TrainerService.prepareBase(TrainerConfig.from(config), TrainerChild.pretrain());
        Path folder = Files.createDirectories(home.resolve("checkpoints")).resolve(runId);
        Files.writeString(folder, "in the way");

        // when / then the run is refused before it starts, naming the folder
        assertThatThrownBy(() -> TrainerService.run(TrainerConfig.from(config), TrainerChild.task(), TrainerChild.pretrain()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("checkpoint folder " + folder + " is not writable");
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        try (TopicTail<RunEvent> runs = new TopicTail<>(connection, Topics.connect(connection).runs(), runId)) {
            assertThat(runs.readToEnd()).isEmpty();
        }
        // and once the folder is free, the run trains
        Files.delete(folder);
        assertThat(TrainerService.run(TrainerConfig.from(config), TrainerChild.task(), TrainerChild.pretrain()).endReason())
                .isEqualTo(EndReason.BUDGET_EXHAUSTED);
    }

    @Test
    void shouldFailMidRunNamingTheFileThatCouldNotBeWrittenAndResumeOnceFixed(StackEndpoints stack) throws Exception {
        // given a run whose checkpoint of step 1000 cannot be written (a non-empty folder holds its name)
        String runId = "store-mid-" + System.nanoTime();
        Map<String, String> config = config(stack, runId);
        TrainerService.prepareBase(TrainerConfig.from(config), TrainerChild.pretrain());
        Path blocked = home.resolve("checkpoints").resolve(runId).resolve("step-1000.safetensors");
        Files.createDirectories(blocked);
        Files.writeString(blocked.resolve("in-the-way"), "x");

        // when it trains, it fails at that checkpoint, naming the file
        assertThatThrownBy(() -> TrainerService.run(TrainerConfig.from(config), TrainerChild.task(), TrainerChild.pretrain()))
                .hasMessageContaining("cannot write safetensors file " + blocked);

        // then once the path is free, a resume ends the run with every step once
        FileTrees.delete(blocked);
        TrainingResult resumed = TrainerService.run(TrainerConfig.from(config), TrainerChild.task(), TrainerChild.pretrain());
        assertThat(resumed.endReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
        assertThat(home.resolve("checkpoints").resolve(runId).resolve("step-1000.safetensors")).isRegularFile();
        assertEveryStepOnceAfterAFailure(stack, runId);
    }

    @Test
    void shouldFailNamingTheFileWhenTheDiskIsFullAndResumeOnceThereIsRoom(StackEndpoints stack) throws Exception {
        // given a checkpoint store on a filesystem of 8 MB (a dozen checkpoints of the 1500 steps' ~60)
        String runId = "store-full-" + System.nanoTime();
        Map<String, String> config = config(stack, runId);
        TrainerService.prepareBase(TrainerConfig.from(config), TrainerChild.pretrain());
        Path checkpoints = Files.createDirectories(home.resolve("checkpoints"));
        Assumptions.assumeTrue(mount(checkpoints, "size=8m"),
                "a full disk needs a small filesystem: mounting a tmpfs needs root, which this machine does not give");
        try {
            // when it trains, the disk fills and the run fails, naming the file and why
            assertThatThrownBy(() -> TrainerService.run(TrainerConfig.from(config), TrainerChild.task(), TrainerChild.pretrain()))
                    .hasMessageContaining("cannot write safetensors file " + checkpoints.resolve(runId))
                    .hasMessageContaining("No space left on device");

            // then once there is room, a resume ends the run with every step once
            assertThat(mount(checkpoints, "remount,size=512m")).isTrue();
            TrainingResult resumed = TrainerService.run(TrainerConfig.from(config), TrainerChild.task(), TrainerChild.pretrain());
            assertThat(resumed.endReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
            assertEveryStepOnceAfterAFailure(stack, runId);
        } finally {
            new ProcessBuilder("umount", checkpoints.toString()).inheritIO().start().waitFor();
        }
    }

    /** Mounts (or remounts) a tmpfs on {@code dir} with {@code options}; false when this machine refuses. */
    private static boolean mount(Path dir, String options) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()).redirectErrorStream(true)
                .start();
        mount.getInputStream().readAllBytes();
        return mount.waitFor() == 0;
    }

    /** The run's topics hold steps 1..STEPS once each, and its lifecycle is: started, failed, resumed, ended. */
    private static void assertEveryStepOnceAfterAFailure(StackEndpoints stack, String runId) {
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Topics topics = Topics.connect(connection);
        List<Long> all = LongStream.rangeClosed(1, STEPS).boxed().toList();
        try (TopicTail<StepMetrics> metrics = new TopicTail<>(connection, topics.stepMetrics(), runId);
             TopicTail<ExampleLosses> losses = new TopicTail<>(connection, topics.exampleLosses(), runId);
             TopicTail<RunEvent> runs = new TopicTail<>(connection, topics.runs(), runId)) {
            assertThat(metrics.readToEnd()).extracting(StepMetrics::getStep).containsExactlyElementsOf(all);
            assertThat(losses.readToEnd()).filteredOn(l -> !l.getFullPass()).extracting(ExampleLosses::getStep)
                    .containsExactlyElementsOf(all);
            assertThat(runs.readToEnd()).extracting(e -> e.getEvent() instanceof RunEnded ended ? ended.getReason() : null)
                    .containsExactly(null, EndReason.FAILED, null, EndReason.BUDGET_EXHAUSTED);
        }
    }

    private Map<String, String> config(StackEndpoints stack, String runId) {
        return TrainerChild.syntheticRun(runId, STEPS, stack, home);
    }
}
