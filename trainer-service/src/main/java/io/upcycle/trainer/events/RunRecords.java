package io.upcycle.trainer.events;

import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.FineTuneMode;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.BatchStatistics;
import io.upcycle.trainer.Evaluation;
import io.upcycle.trainer.TrainingSettings;
import io.upcycle.trainer.events.PrimitiveLists;
import io.upcycle.trainer.network.BaseModel;
import java.util.Map;
import java.util.TreeMap;

/** Builds the Avro records of a full fine-tuning run; the one place that maps trainer state to the wire. */
public final class RunRecords {
    private final String runId;

    public RunRecords(String runId) {
        this.runId = runId;
    }

    public RunStarted started(TaskData task, BaseModel base, TrainingSettings settings) {
        Map<String, String> hyper = new TreeMap<>(settings.asStrings());
        return RunStarted.newBuilder()
                .setRunId(runId)
                .setTask(task.task())
                .setBaseModelId(base.id())
                .setBaseModelSha256(base.sha256())
                .setMode(FineTuneMode.FULL)
                .setHyperParameters(hyper)
                .setSeed(settings.seed())
                .setDatasetFingerprint(task.fingerprint())
                .setExampleCount(task.train().size())
                .setClassCount(task.classNames().size())
                .build();
    }

    public StepMetrics step(long step, int epoch, BatchStatistics stats, float learningRate, float gradientNorm,
                     Evaluation.Score eval) {
        return StepMetrics.newBuilder()
                .setRunId(runId)
                .setStep(step)
                .setEpoch(epoch)
                .setTrainLoss(stats.meanLoss())
                .setLearningRate(learningRate)
                .setGradientNorm(gradientNorm)
                .setEvalLoss(eval == null ? null : (float) eval.loss())
                .setEvalAccuracy(eval == null ? null : (float) eval.accuracy())
                .build();
    }

    /** The batch's per-example statistics as parallel arrays; wraps the arrays, copies nothing. */
    public ExampleLosses losses(long step, int[] exampleIds, BatchStatistics stats) {
        return ExampleLosses.newBuilder()
                .setRunId(runId)
                .setStep(step)
                .setExampleIds(PrimitiveLists.ints(exampleIds))
                .setLosses(PrimitiveLists.floats(stats.losses()))
                .setCorrect(PrimitiveLists.booleans(stats.correct()))
                .setEl2n(PrimitiveLists.floats(stats.el2n()))
                .build();
    }

    public RunEnded ended(long finalStep, EndReason reason, String stopDecisionId, String message) {
        return RunEnded.newBuilder()
                .setRunId(runId)
                .setFinalStep(finalStep)
                .setReason(reason)
                .setStopDecisionId(stopDecisionId)
                .setMessage(message)
                .build();
    }
}
