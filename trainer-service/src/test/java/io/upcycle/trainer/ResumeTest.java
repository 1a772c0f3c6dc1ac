package io.upcycle.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.checkpoint.ResumePlan;
import io.upcycle.trainer.checkpoint.RunHistory;
import io.upcycle.trainer.events.EventClock;
import io.upcycle.trainer.events.TrainingEvents;
import io.upcycle.trainer.network.BaseModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crashed run resumed from its last checkpoint continues bit for bit and publishes each step once. */
class ResumeTest {
    private static final long START = 1_700_000_000_000L;
    private static final long STEPS = 20;

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
    void shouldPublishEachStepOnceAndMatchAnUninterruptedRunWhenResumedAfterACrash() {
        // given an uninterrupted run, and the same run crashing after step 11 with the losses of step 11 lost
        CheckpointStore store = new CheckpointStore(home.resolve("checkpoints"));
        RecordingTrainingEvents whole = new RecordingTrainingEvents();
        trainer("run-whole", store, whole, ResumePlan.fresh()).train();
        RecordingTrainingEvents crashed = new RecordingTrainingEvents().whenStep(step -> {
            if (step == 11) {
                throw new IllegalStateException("simulated crash");
            }
        });
        assertThatThrownBy(() -> trainer("run-crash", store, crashed, ResumePlan.fresh()).train()).hasMessage("simulated crash");
        await().atMost(Duration.ofSeconds(10)).until(() -> crashed.of(CheckpointSaved.class).size() == 4);
        RunHistory history = historyOf(crashed, 11, 10);

        // when it restarts with the same run id
        ResumePlan plan = ResumePlan.of(history, store, "run-crash");
        RecordingTrainingEvents resumed = new RecordingTrainingEvents();
        TrainingResult result = trainer("run-crash", store, resumed, plan).train();

        // then it continued from the checkpoint of step 8 and said it resumes after step 10
        assertThat(plan.state().step()).isEqualTo(8);
        assertThat(result.endReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
        RunStarted restart = resumed.of(RunStarted.class).get(0);
        assertThat(restart.getResumedFromStep()).isEqualTo(10L);
        // and both attempts together hold each step exactly once on each topic
        List<ExampleLosses> losses = new ArrayList<>(crashed.of(ExampleLosses.class).subList(0, 10));
        losses.addAll(resumed.of(ExampleLosses.class));
        List<StepMetrics> metrics = new ArrayList<>(crashed.of(StepMetrics.class));
        metrics.addAll(resumed.of(StepMetrics.class));
        assertThat(losses).extracting(ExampleLosses::getStep).containsExactlyElementsOf(range(1, STEPS));
        assertThat(metrics).extracting(StepMetrics::getStep).containsExactlyElementsOf(range(1, STEPS));
        List<Long> checkpoints = new ArrayList<>(crashed.of(CheckpointSaved.class).stream().map(CheckpointSaved::getStep).toList());
        checkpoints.addAll(resumed.of(CheckpointSaved.class).stream().map(CheckpointSaved::getStep).toList());
        assertThat(checkpoints).containsExactly(1L, 2L, 4L, 8L, 16L, 20L);
        // and the numbers are bit for bit those of the uninterrupted run: losses, rates and final weights
        List<ExampleLosses> reference = whole.of(ExampleLosses.class);
        for (int i = 0; i < STEPS; i++) {
            assertThat(losses.get(i).getExampleIds()).isEqualTo(reference.get(i).getExampleIds());
            assertThat(losses.get(i).getLosses()).as("losses of step %d", i + 1).isEqualTo(reference.get(i).getLosses());
        }
        assertThat(tensors(store, "run-crash")).isEqualTo(tensors(store, "run-whole"));
        // and event times continue the first attempt's clock
        assertThat(resumed.all().stream().filter(r -> r.event() instanceof StepMetrics))
                .allSatisfy(r -> assertThat(r.timestampMs()).isEqualTo(START + ((StepMetrics) r.event()).getStep()));
    }

    @Test
    void shouldResumeFromTheLatestCheckpointWithTrainingStatePassingOverWeightsOnlyOnes() {
        // given a run with 2 merge checkpoints per octave (1 2 3 4 6 8 12 ...) that crashes at step 14
        CheckpointStore store = new CheckpointStore(home.resolve("octave"));
        CheckpointSchedule schedule = new CheckpointSchedule(true, 0, 2);
        RecordingTrainingEvents crashed = new RecordingTrainingEvents().whenStep(step -> {
            if (step == 14) {
                throw new IllegalStateException("simulated crash");
            }
        });
        assertThatThrownBy(() -> trainer("run-octave", store, crashed, ResumePlan.fresh(), schedule).train())
                .hasMessage("simulated crash");
        await().atMost(Duration.ofSeconds(10)).until(() -> crashed.of(CheckpointSaved.class).size() == 7);
        // when it restarts
        ResumePlan plan = ResumePlan.of(historyOf(crashed, 13, 13), store, "run-octave");
        // then the weights-only checkpoint of step 12 is passed over for step 8, which saved the training state
        assertThat(crashed.of(CheckpointSaved.class)).extracting(CheckpointSaved::getStep)
                .containsExactly(1L, 2L, 3L, 4L, 6L, 8L, 12L);
        assertThat(plan.state().step()).isEqualTo(8);
    }

    @Test
    void shouldRefuseARunIdThatAlreadyEndedNormally() {
        // given a history whose last lifecycle event is a finished run
        RunHistory history = new RunHistory(true, START, EndReason.BUDGET_EXHAUSTED, 5, 5, 0, Map.of(), Map.of(), Map.of());
        // when / then
        assertThatThrownBy(() -> ResumePlan.of(history, new CheckpointStore(home.resolve("none")), "run-done"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("run-done").hasMessageContaining("already ended");
    }

    /** What a log holding the crashed attempt's events would say, with metrics through {@code metrics}, losses through {@code losses}. */
    private static RunHistory historyOf(RecordingTrainingEvents events, long metrics, long losses) {
        Map<Long, String> checkpoints = new HashMap<>();
        events.of(CheckpointSaved.class).forEach(c -> checkpoints.put(c.getStep(), c.getSha256()));
        Map<Long, Float> rates = new HashMap<>();
        Map<Long, Float> trainLosses = new HashMap<>();
        events.of(StepMetrics.class).forEach(m -> {
            rates.put(m.getStep(), m.getLearningRate());
            trainLosses.put(m.getStep(), m.getTrainLoss());
        });
        return new RunHistory(true, START, EndReason.FAILED, metrics, losses, 0, checkpoints, rates, trainLosses);
    }

    private static Map<String, List<Float>> tensors(CheckpointStore store, String runId) {
        Map<String, List<Float>> tensors = new HashMap<>();
        try (SafetensorsFile file = Safetensors.open(store.root().resolve(runId).resolve("step-" + STEPS + ".safetensors"))) {
            for (String name : file.names()) {
                List<Float> values = new ArrayList<>();
                for (float v : file.read(name).data()) {
                    values.add(v);
                }
                tensors.put(name, values);
            }
        }
        return tensors;
    }

    private static ExpertTrainer trainer(String runId, CheckpointStore store, TrainingEvents events, ResumePlan plan) {
        return trainer(runId, store, events, plan, new CheckpointSchedule(true, 16));
    }

    private static ExpertTrainer trainer(String runId, CheckpointStore store, TrainingEvents events, ResumePlan plan,
                                         CheckpointSchedule schedule) {
        TrainingSettings settings = new TrainingSettings(STEPS, 1e-3f, 32, 7, 0, schedule);
        return ExpertTrainer.builder()
                .setRunId(runId)
                .setTask(task)
                .setBase(base)
                .setSettings(settings)
                .setCheckpointStore(store)
                .optEvents(events)
                .optResume(plan)
                .optClock(EventClock.stepped(START))
                .build();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
