package io.upcycle.monitor;

import io.upcycle.schemas.SampleEvents;
import io.upcycle.schemas.avro.CheckpointKind;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import java.util.ArrayList;
import java.util.List;

/** Builds the input events of synthetic runs for tests. */
public final class Events {
    private Events() {
    }

    public static RunEvent started(String runId, int exampleCount) {
        return RunEvent.newBuilder().setEvent(startedEvent(runId, exampleCount, null)).build();
    }

    static RunEvent resumed(String runId, int exampleCount, long fromStep) {
        return RunEvent.newBuilder().setEvent(startedEvent(runId, exampleCount, fromStep)).build();
    }

    static RunStarted startedEvent(String runId, int exampleCount, Long resumedFromStep) {
        return SampleEvents.started(runId, exampleCount).setResumedFromStep(resumedFromStep).build();
    }

    static RunEvent ended(String runId, long finalStep) {
        return ended(runId, finalStep, EndReason.BUDGET_EXHAUSTED);
    }

    static RunEvent ended(String runId, long finalStep, EndReason reason) {
        return RunEvent.newBuilder().setEvent(RunEnded.newBuilder().setRunId(runId).setFinalStep(finalStep)
                .setReason(reason).build()).build();
    }

    /** A full pass at {@code step}: example {@code i} had loss {@code losses[i]}, for every example. */
    static ExampleLosses fullPass(String runId, long step, float[] losses) {
        ExampleLosses e = losses(runId, step, range(0, losses.length), losses);
        e.setFullPass(true);
        return e;
    }

    /** Losses of one step: {@code ids[i]} had loss {@code losses[i]}. */
    public static ExampleLosses losses(String runId, long step, int[] ids, float[] losses) {
        List<Integer> idList = new ArrayList<>(ids.length);
        List<Float> lossList = new ArrayList<>(losses.length);
        for (int id : ids) {
            idList.add(id);
        }
        for (float loss : losses) {
            lossList.add(loss);
        }
        return ExampleLosses.newBuilder().setRunId(runId).setStep(step).setExampleIds(idList).setLosses(lossList).build();
    }

    /** Losses of one step with each example's correctness and EL2N, parallel to {@code ids}. */
    static ExampleLosses losses(String runId, long step, int[] ids, float[] losses, boolean[] correct, float[] el2n) {
        ExampleLosses e = losses(runId, step, ids, losses);
        List<Boolean> correctList = new ArrayList<>(correct.length);
        for (boolean c : correct) {
            correctList.add(c);
        }
        List<Float> el2nList = new ArrayList<>(el2n.length);
        for (float v : el2n) {
            el2nList.add(v);
        }
        e.setCorrect(correctList);
        e.setEl2n(el2nList);
        return e;
    }

    /** Step metrics of {@code step}; {@code evalLoss} null on a step that did not evaluate. */
    static StepMetrics metrics(String runId, long step, Float evalLoss) {
        return StepMetrics.newBuilder().setRunId(runId).setStep(step).setEpoch(0).setTrainLoss(1f).setLearningRate(1e-3f)
                .setEvalLoss(evalLoss).build();
    }

    static CheckpointSaved checkpoint(String runId, long step) {
        return CheckpointSaved.newBuilder().setRunId(runId).setStep(step).setUri(uri(runId, step)).setSha256(sha256(step))
                .setSizeBytes(1024).setKind(CheckpointKind.FULL_WEIGHTS).build();
    }

    static String uri(String runId, long step) {
        return "file:/store/" + runId + "/step-" + step + ".safetensors";
    }

    /** A well-formed, made-up sha256 that encodes {@code n}. */
    static String sha256(long n) {
        return SampleEvents.sha256(n);
    }

    static int[] range(int from, int to) {
        int[] ids = new int[to - from];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = from + i;
        }
        return ids;
    }
}
