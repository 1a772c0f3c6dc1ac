package io.upcycle.schemas;

import io.upcycle.schemas.avro.CheckpointKind;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.CommandKind;
import io.upcycle.schemas.avro.DeadLetter;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.DifficultyScore;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.ExpertRef;
import io.upcycle.schemas.avro.FineTuneMode;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.MergeRequested;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.SignalSeries;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.schemas.avro.TaskScore;
import io.upcycle.schemas.avro.TrainingCommand;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Filled-in events for tests of every module (this module's test-jar): one of every type for
 * round trips, and {@link #started} for tests that need a valid run start to adjust.
 */
public final class SampleEvents {
    private SampleEvents() {
    }

    /** A valid start of run {@code runId} over {@code exampleCount} examples of an 8-class task; set what the test needs. */
    public static RunStarted.Builder started(String runId, int exampleCount) {
        return RunStarted.newBuilder().setRunId(runId).setTask("fortune-lang-8").setBaseModelId("trunk-mlp")
                .setBaseModelSha256(sha256(0)).setMode(FineTuneMode.FULL).setSeed(7).setDatasetFingerprint(sha256(1))
                .setExampleCount(exampleCount).setClassCount(8);
    }

    /** A well-formed sha256 (64 hex digits) standing for {@code n}. */
    public static String sha256(long n) {
        return String.format(Locale.ROOT, "%064x", n);
    }

    /** A well-formed sha256 (64 hex digits) standing for {@code text}. */
    public static String sha256(String text) {
        return sha256(Math.abs((long) text.hashCode()));
    }

    static RunEvent runStarted() {
        return new RunEvent(RunStarted.newBuilder().setRunId("run-1").setTask("fortune-lang-8")
                .setBaseModelId("base").setBaseModelSha256("ab".repeat(32)).setMode(FineTuneMode.FULL)
                .setHyperParameters(Map.of("lr", "0.003")).setSeed(7L).setDatasetFingerprint("cd".repeat(32))
                .setExampleCount(5600).setClassCount(8).build());
    }

    static RunEvent runEnded() {
        return new RunEvent(RunEnded.newBuilder().setRunId("run-1").setFinalStep(312L).setReason(EndReason.STOPPED)
                .setStopDecisionId("run-1:learned-fraction:312").build());
    }

    static StepMetrics stepMetrics() {
        return StepMetrics.newBuilder().setRunId("run-1").setStep(3L).setEpoch(0).setTrainLoss(1.25f)
                .setLearningRate(0.003f).setGradientNorm(0.5f).setEvalLoss(1.5f).build();
    }

    static ExampleLosses exampleLosses() {
        return ExampleLosses.newBuilder().setRunId("run-1").setStep(3L).setExampleIds(List.of(4, 9, 2))
                .setLosses(List.of(0.1f, 2.5f, 0.01f)).setCorrect(List.of(true, false, true))
                .setEl2n(List.of(0.2f, 1.3f, 0.01f)).build();
    }

    static CheckpointSaved checkpointSaved() {
        return CheckpointSaved.newBuilder().setRunId("run-1").setStep(256L).setUri("file:///tmp/run-1/step-256.safetensors")
                .setSha256("ef".repeat(32)).setSizeBytes(420_000L).setKind(CheckpointKind.FULL_WEIGHTS).build();
    }

    static StopDecision stopDecision() {
        return StopDecision.newBuilder().setDecisionId("run-1:learned-fraction:312").setRunId("run-1")
                .setTask("fortune-lang-8").setDecidedAtStep(312L).setCheckpointStep(256L)
                .setCheckpointUri("file:///tmp/run-1/step-256.safetensors").setCheckpointSha256("ef".repeat(32))
                .setPolicy("learned-fraction").setPolicyVersion(1).setParameters(Map.of("target.fraction", "0.97"))
                .setMode(DecisionMode.ENFORCE).setReason("learned fraction 0.971 >= 0.97 at step 312")
                .setSignals(List.of(new SignalSeries("learnedFraction", List.of(311L, 312L), List.of(0.969, 0.971))))
                .setTopHardExampleIds(List.of(17, 4)).build();
    }

    static MergeCompleted mergeCompleted() {
        return MergeCompleted.newBuilder().setMergeId("merge-1").setPlanId("plan-1").setMethod("task_arithmetic")
                .setParameters(Map.of("lambda", "0.6")).setSeed(0L)
                .setExperts(List.of(new ExpertRef("run-1", "fortune-lang-8", 256L, "file:///x", "ef".repeat(32))))
                .setBaseSha256("ab".repeat(32)).setOutputUri("file:///tmp/merge-1.safetensors").setOutputSha256("01".repeat(32))
                .setScores(List.of(new TaskScore("fortune-lang-8", 0.9, 0.95, 0.9 / 0.95, 1600,
                        new DifficultyScore(32L, "file:///x/step-32.safetensors", "cd".repeat(32), false, 0.1, 1.25,
                                5400, 600, 0.99, 0.8, 0.97, 0.5))))
                .setMergeMillis(120L).setEvalMillis(40L).build();
    }

    static MergeRequested mergeRequested() {
        return MergeRequested.newBuilder().setPlanId("plan-1").setRunIds(List.of("run-1", "run-2", "run-3"))
                .setMethods(List.of("task_arithmetic", "ties")).setMinRuns(2).setTimeoutMs(60_000L)
                .setBaseUri("file:///base/step-0.safetensors").setBaseSha256("ab".repeat(32))
                .setTags(Map.of("study.id", "s1")).build();
    }

    static DeadLetter deadLetter() {
        return DeadLetters.of("upcycle.example-losses", 0, 42L, 1000L, "run-1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3},
                DeadLetters.DESERIALIZATION, new IllegalStateException("bad magic"), "test");
    }

    static TrainingCommand trainingCommand() {
        return TrainingCommand.newBuilder().setRunId("run-1").setCommandId("cmd-1").setKind(CommandKind.SET_LEARNING_RATE)
                .setValue(3e-4).setReason("loss plateau").setIssuedBy("operator").build();
    }

    /** Each topic name with a sample value for it. */
    static Map<String, SpecificRecord> byTopic() {
        Map<String, SpecificRecord> samples = new LinkedHashMap<>();
        samples.put(Topics.RUNS, runStarted());
        samples.put(Topics.STEP_METRICS, stepMetrics());
        samples.put(Topics.EXAMPLE_LOSSES, exampleLosses());
        samples.put(Topics.CHECKPOINTS, checkpointSaved());
        samples.put(Topics.STOP_DECISIONS, stopDecision());
        samples.put(Topics.MERGE_PLANS, mergeRequested());
        samples.put(Topics.MERGE_RESULTS, mergeCompleted());
        samples.put(Topics.DEAD_LETTERS, deadLetter());
        samples.put(Topics.COMMANDS, trainingCommand());
        return samples;
    }
}
