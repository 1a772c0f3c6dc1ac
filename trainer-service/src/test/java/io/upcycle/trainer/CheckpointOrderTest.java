package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.events.TrainingEvents;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.network.BasePretrainer;
import io.upcycle.trainer.network.BaseSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log must be replayable: a checkpoint announced live must be announced before any later
 * step's events, or a replay picks another checkpoint than the live monitor did.
 */
class CheckpointOrderTest {
    private static final long STEPS = 40;

    @TempDir
    Path home;

    @Test
    void shouldAnnounceEachCheckpointBeforeAnyEventOfALaterStepWhenWritingIsSlow() {
        // given a run checkpointing at 1, 2, 4, 8, 10, 16, 20, 30, 32, 40 whose checkpoint announcements take 30 ms each
        TaskData pretrain = SyntheticTasks.tinyPretrain();
        BaseModel base = new BasePretrainer(new BaseSettings(1, 1e-3f, 64, 0), home.resolve("base")).obtain(pretrain);
        TaskData task = SyntheticTasks.tinyTask();
        RecordingTrainingEvents recorded = new RecordingTrainingEvents();
        TrainingSettings settings = new TrainingSettings(STEPS, 1e-3f, 16, 3, 0, new CheckpointSchedule(true, 10));

        // when it trains
        ExpertTrainer.builder()
                .setRunId("run-order")
                .setTask(task)
                .setBase(base)
                .setSettings(settings)
                .setCheckpointStore(new CheckpointStore(home.resolve("checkpoints")))
                .optEvents(new SlowCheckpoints(recorded))
                .build()
                .train();

        // then every CheckpointSaved(s) precedes every StepMetrics and ExampleLosses of steps after s
        List<Object> events = recorded.all().stream().map(RecordingTrainingEvents.Recorded::event).toList();
        List<Long> checkpoints = recorded.of(CheckpointSaved.class).stream().map(CheckpointSaved::getStep).toList();
        assertThat(checkpoints).containsExactly(1L, 2L, 4L, 8L, 10L, 16L, 20L, 30L, 32L, 40L);
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof CheckpointSaved saved) {
                assertThat(events.subList(0, i)).as("events before CheckpointSaved(%d)", saved.getStep())
                        .noneMatch(e -> stepOf(e) > saved.getStep());
            }
        }
        // and the run starts first, ends last, and holds every step once
        assertThat(events.get(0)).isInstanceOf(RunStarted.class);
        assertThat(events.get(events.size() - 1)).isInstanceOf(RunEnded.class);
        assertThat(recorded.of(StepMetrics.class)).extracting(StepMetrics::getStep)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, STEPS).boxed().toList());
    }

    private static long stepOf(Object event) {
        if (event instanceof StepMetrics metrics) {
            return metrics.getStep();
        }
        return event instanceof ExampleLosses losses ? losses.getStep() : -1;
    }

    /** Delays every checkpoint announcement, as a slow disk or a busy machine would. */
    private record SlowCheckpoints(RecordingTrainingEvents delegate) implements TrainingEvents {
        @Override
        public void onRunStarted(RunStarted started, long timestampMs) {
            delegate.onRunStarted(started, timestampMs);
        }

        @Override
        public void onStep(StepMetrics metrics, ExampleLosses losses, long timestampMs) {
            delegate.onStep(metrics, losses, timestampMs);
        }

        @Override
        public void onCheckpoint(CheckpointSaved saved, long timestampMs) {
            LockSupport.parkNanos(30_000_000L);
            delegate.onCheckpoint(saved, timestampMs);
        }

        @Override
        public void onRunEnded(RunEnded ended, long timestampMs) {
            delegate.onRunEnded(ended, timestampMs);
        }
    }
}
