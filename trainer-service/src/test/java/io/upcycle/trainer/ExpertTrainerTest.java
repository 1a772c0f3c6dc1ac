package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.files.Sha256;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.FineTuneMode;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.control.StopSignal;
import io.upcycle.trainer.events.EventClock;
import io.upcycle.trainer.events.TrainingEvents;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.optimizer.LearningRateSchedule;
import io.upcycle.trainer.optimizer.OptimizerKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpertTrainerTest {
    private static final long START = 1_700_000_000_000L;

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
    void shouldLowerTheLossAndCheckpointOnScheduleWhenTrainingASeparableTask() {
        // given a budget of 40 steps, checkpoints at powers of two and every 16 steps
        RecordingTrainingEvents events = new RecordingTrainingEvents();
        CheckpointStore store = new CheckpointStore(home.resolve("checkpoints"));
        ExpertTrainer trainer = trainer("run-schedule", 40, store, events, new StopSignal());
        // when
        TrainingResult result = trainer.train();
        // then the run went the whole budget and learned the task
        assertThat(result.stepsDone()).isEqualTo(40);
        assertThat(result.endReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
        assertThat(result.testAccuracy()).isGreaterThan(0.9);
        List<StepMetrics> steps = events.of(StepMetrics.class);
        assertThat(steps).extracting(StepMetrics::getStep).containsExactlyElementsOf(range(1, 40));
        double early = steps.subList(0, 5).stream().mapToDouble(StepMetrics::getTrainLoss).average().orElseThrow();
        double late = steps.subList(35, 40).stream().mapToDouble(StepMetrics::getTrainLoss).average().orElseThrow();
        assertThat(late).isLessThan(early / 3);
        assertThat(steps.get(9).getEvalAccuracy()).isNotNull();
        assertThat(steps.get(8).getEvalAccuracy()).isNull();
        // and each epoch (300 examples: 9 batches of 32, then 12) visits every example once
        List<ExampleLosses> losses = events.of(ExampleLosses.class);
        List<Integer> firstEpoch = losses.subList(0, 10).stream().flatMap(r -> r.getExampleIds().stream()).toList();
        assertThat(firstEpoch).doesNotHaveDuplicates().hasSize(300).allMatch(id -> id >= 0 && id < 300);
        // and every step's per-example losses average to its batch loss
        for (int i = 0; i < losses.size(); i++) {
            ExampleLosses record = losses.get(i);
            int size = i % 10 == 9 ? 12 : 32;
            assertThat(record.getExampleIds()).hasSize(size);
            assertThat(record.getLosses()).hasSize(size);
            assertThat(record.getCorrect()).hasSize(size);
            assertThat(record.getEl2n()).hasSize(size).allMatch(v -> v >= 0 && v <= Math.sqrt(2) + 1e-6);
            double mean = record.getLosses().stream().mapToDouble(Float::doubleValue).average().orElseThrow();
            assertThat(mean).isCloseTo(steps.get(i).getTrainLoss(), org.assertj.core.data.Offset.offset(1e-5));
        }
        // and checkpoints were written at 1, 2, 4, 8, 16, 32 and the final step, each as announced
        List<CheckpointSaved> saved = events.of(CheckpointSaved.class);
        assertThat(saved).extracting(CheckpointSaved::getStep).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 40L);
        for (CheckpointSaved checkpoint : saved) {
            assertThat(Sha256.of(CheckpointStore.toPath(checkpoint.getUri()))).isEqualTo(checkpoint.getSha256());
        }
        assertThat(result.finalCheckpoint().uri()).isEqualTo(saved.get(saved.size() - 1).getUri());
        try (SafetensorsFile file = Safetensors.open(result.finalCheckpoint().path())) {
            assertThat(file.names()).containsExactlyInAnyOrder(ExpertLayout.INPUT_MEAN, ExpertLayout.INPUT_STD,
                    ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK0_BIAS, ExpertLayout.TRUNK1_WEIGHT, ExpertLayout.TRUNK1_BIAS,
                    ExpertLayout.HEAD_WEIGHT, ExpertLayout.HEAD_BIAS);
            assertThat(file.read(ExpertLayout.INPUT_STD).data()).isEqualTo(base.weights().get(ExpertLayout.INPUT_STD).data());
            assertThat(file.shape(ExpertLayout.HEAD_WEIGHT)).containsExactly(3, ExpertLayout.HIDDEN_DIM);
        }
    }

    @Test
    void shouldFrameTheRunWithStartAndEndEventsAtDeterministicTimes() {
        // given
        RecordingTrainingEvents events = new RecordingTrainingEvents();
        ExpertTrainer trainer = trainer("run-frame", 5, new CheckpointStore(home.resolve("frame")), events, new StopSignal());
        // when
        trainer.train();
        // then RunStarted comes first and describes the run, RunEnded comes last
        List<RecordingTrainingEvents.Recorded> all = events.all();
        RunStarted started = (RunStarted) all.get(0).event();
        assertThat(started.getRunId()).isEqualTo("run-frame");
        assertThat(started.getBaseModelSha256()).isEqualTo(base.sha256());
        assertThat(started.getMode()).isEqualTo(FineTuneMode.FULL);
        assertThat(started.getDatasetFingerprint()).isEqualTo(task.fingerprint());
        assertThat(started.getExampleCount()).isEqualTo(300);
        assertThat(started.getClassCount()).isEqualTo(3);
        assertThat(started.getHyperParameters()).containsEntry("batchSize", "32").containsEntry("optimizer", "adam");
        assertThat(all.get(0).timestampMs()).isEqualTo(START);
        RunEnded ended = (RunEnded) all.get(all.size() - 1).event();
        assertThat(ended.getReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
        assertThat(ended.getFinalStep()).isEqualTo(5);
        assertThat(all).filteredOn(r -> r.event() instanceof StepMetrics)
                .extracting(RecordingTrainingEvents.Recorded::timestampMs)
                .containsExactly(START + 1, START + 2, START + 3, START + 4, START + 5);
    }

    @Test
    void shouldStopWithinOneStepAndCheckpointTheLastStepWhenAStopIsRequested() {
        // given a stop requested while step 10's events are handed over, mid-way through 1000 steps
        StopSignal stop = new StopSignal();
        RecordingTrainingEvents events = new RecordingTrainingEvents()
                .whenStep(step -> {
                    if (step == 10) {
                        stop.request("decision-10");
                    }
                });
        ExpertTrainer trainer = trainer("run-stop", 1000, new CheckpointStore(home.resolve("stop")), events, stop);
        // when
        TrainingResult result = trainer.train();
        // then no further step ran, the last step was checkpointed and the end names the decision
        assertThat(result.stopRequestedAfterStep()).hasValue(10);
        assertThat(result.stepsDone()).isEqualTo(10);
        assertThat(result.endReason()).isEqualTo(EndReason.STOPPED);
        assertThat(result.stopDecisionId()).isEqualTo("decision-10");
        assertThat(events.of(CheckpointSaved.class)).extracting(CheckpointSaved::getStep).containsExactly(1L, 2L, 4L, 8L, 10L);
        RunEnded ended = events.of(RunEnded.class).get(0);
        assertThat(ended.getReason()).isEqualTo(EndReason.STOPPED);
        assertThat(ended.getStopDecisionId()).isEqualTo("decision-10");
        assertThat(ended.getFinalStep()).isEqualTo(10);
    }

    @Test
    void shouldCheckpointTheStartingWeightsWhenStoppedBeforeTheFirstStep() {
        // given a stop requested before the run starts
        StopSignal stop = new StopSignal();
        stop.request("decision-early");
        RecordingTrainingEvents events = new RecordingTrainingEvents();
        // when
        TrainingResult result = trainer("run-early", 100, new CheckpointStore(home.resolve("early")), events, stop).train();
        // then no step ran, and the base with its new head is what the run leaves behind
        assertThat(result.stepsDone()).isZero();
        assertThat(result.endReason()).isEqualTo(EndReason.STOPPED);
        assertThat(events.of(StepMetrics.class)).isEmpty();
        assertThat(events.of(CheckpointSaved.class)).extracting(CheckpointSaved::getStep).containsExactly(0L);
        try (SafetensorsFile file = Safetensors.open(result.finalCheckpoint().path())) {
            assertThat(file.read(ExpertLayout.TRUNK0_WEIGHT).data()).isEqualTo(base.weights().get(ExpertLayout.TRUNK0_WEIGHT).data());
        }
    }

    @Test
    void shouldRepeatTheSameBatchesAndFirstLossesWhenSeedsAreEqual() {
        // given two runs with the same seed
        RecordingTrainingEvents first = new RecordingTrainingEvents();
        RecordingTrainingEvents second = new RecordingTrainingEvents();
        // when
        trainer("run-a", 3, new CheckpointStore(home.resolve("a")), first, new StopSignal()).train();
        trainer("run-b", 3, new CheckpointStore(home.resolve("b")), second, new StopSignal()).train();
        // then they saw the same examples in the same order, with the same losses before any update
        List<ExampleLosses> a = first.of(ExampleLosses.class);
        List<ExampleLosses> b = second.of(ExampleLosses.class);
        for (int i = 0; i < 3; i++) {
            assertThat(a.get(i).getExampleIds()).isEqualTo(b.get(i).getExampleIds());
        }
        assertThat(a.get(0).getLosses()).isEqualTo(b.get(0).getLosses());
    }

    @Test
    void shouldAddTheRunsLabelsToItsHyperParameters() {
        // given
        RecordingTrainingEvents events = new RecordingTrainingEvents();
        ExpertTrainer trainer = ExpertTrainer.builder().setRunId("run-labels").setTask(task).setBase(base)
                .setSettings(new TrainingSettings(2, 1e-3f, 32, 7, 10, new CheckpointSchedule(true, 16)))
                .setCheckpointStore(new CheckpointStore(home.resolve("labels"))).optEvents(events)
                .optLabels(Map.of("study.id", "s1", "study.pass", "observe")).build();
        // when
        trainer.train();
        // then
        RunStarted started = events.of(RunStarted.class).get(0);
        assertThat(started.getHyperParameters()).containsEntry("study.id", "s1").containsEntry("study.pass", "observe")
                .containsEntry("batchSize", "32");
    }

    @Test
    void shouldFailTheRunNamingTheStepWhenTheLossDiverges() {
        // given plain SGD at an absurd learning rate, which sends the weights to infinity
        RecordingTrainingEvents events = new RecordingTrainingEvents();
        ExpertTrainer trainer = ExpertTrainer.builder()
                .setRunId("run-diverge")
                .setTask(task)
                .setBase(base)
                .setSettings(new TrainingSettings(40, 1e30f, 32, 7, 0, new CheckpointSchedule(false, 0),
                        OptimizerKind.SGD, LearningRateSchedule.CONSTANT, 0))
                .setCheckpointStore(new CheckpointStore(home.resolve("diverge")))
                .optEvents(events)
                .optClock(EventClock.stepped(START))
                .build();
        // when / then the run stops at the first non-finite step with a message that says so
        assertThatThrownBy(trainer::train).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run run-diverge diverged at step").hasMessageContaining("lower the learning rate");
        // and no non-finite loss was published, and the run ended FAILED with the reason
        assertThat(events.of(StepMetrics.class)).hasSizeLessThan(40)
                .allMatch(step -> Double.isFinite(step.getTrainLoss()));
        RunEnded ended = events.of(RunEnded.class).get(0);
        assertThat(ended.getReason()).isEqualTo(EndReason.FAILED);
        assertThat(ended.getMessage()).contains("diverged at step " + (events.of(StepMetrics.class).size() + 1));
    }

    private static ExpertTrainer trainer(String runId, long steps, CheckpointStore store, TrainingEvents events, StopSignal stop) {
        TrainingSettings settings = new TrainingSettings(steps, 1e-3f, 32, 7, 10, new CheckpointSchedule(true, 16));
        return ExpertTrainer.builder()
                .setRunId(runId)
                .setTask(task)
                .setBase(base)
                .setSettings(settings)
                .setCheckpointStore(store)
                .optEvents(events)
                .optStopSignal(stop)
                .optClock(EventClock.stepped(START))
                .build();
    }

    private static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }
}
