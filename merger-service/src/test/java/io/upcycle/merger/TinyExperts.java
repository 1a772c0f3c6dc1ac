package io.upcycle.merger;

import io.upcycle.merger.plan.MergePlan;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.CheckpointMetadata;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.RandomTensors;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.Split;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.DecisionMode;
import io.upcycle.schemas.avro.StopDecision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny base network (3 inputs, 4 hidden units, 2 classes) and experts fine-tuned from it by
 * perturbing the trunk, stored as real checkpoints. Each task's labels are its own expert's
 * predictions, so every expert scores exactly 1.0 on its task and merging can only lose.
 */
public final class TinyExperts {
    /** The id the experts name their base by (a copy of it lies in the store's root as {@code tiny-base.safetensors}). */
    public static final String BASE_ID = "tiny-base";
    static final int DIM = 3;
    static final int HIDDEN = 4;
    static final int CLASSES = 2;

    public final CheckpointStore store;
    final StoredCheckpoint base;
    final Map<String, Map<String, Tensor>> baseTensors = new LinkedHashMap<>();
    final Map<String, StoredCheckpoint> experts = new LinkedHashMap<>();
    final Map<String, Map<String, Tensor>> expertTensors = new LinkedHashMap<>();
    public final Map<String, TaskData> tasks = new LinkedHashMap<>();

    public TinyExperts(CheckpointStore store, long seed, List<String> runIds) {
        this.store = store;
        Random random = new Random(seed);
        Map<String, Tensor> base = new LinkedHashMap<>();
        base.put(ExpertLayout.INPUT_MEAN, Tensor.of(ExpertLayout.INPUT_MEAN, new float[] {0.1f, -0.2f, 0f}, DIM));
        base.put(ExpertLayout.INPUT_STD, Tensor.of(ExpertLayout.INPUT_STD, new float[] {1f, 2f, 0.5f}, DIM));
        for (String name : ExpertLayout.TRUNK) {
            base.put(name, RandomTensors.gaussian(name, shape(name), random, 1f));
        }
        baseTensors.put("base", base);
        this.base = store.save("base", 0, "FULL_WEIGHTS", base.values(), Map.of());
        try { // the base also as a trainer's base cache holds it, named by its id, for plans that name no base
            Files.copy(this.base.path(), store.root().resolve(BASE_ID + ".safetensors"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> expertMetadata = Map.of(CheckpointMetadata.BASE_ID, BASE_ID, CheckpointMetadata.BASE_SHA256, this.base.sha256());
        for (String run : runIds) {
            Map<String, Tensor> expert = new LinkedHashMap<>();
            expert.put(ExpertLayout.INPUT_MEAN, base.get(ExpertLayout.INPUT_MEAN));
            expert.put(ExpertLayout.INPUT_STD, base.get(ExpertLayout.INPUT_STD));
            for (String name : ExpertLayout.TRUNK) {
                Tensor noise = RandomTensors.gaussian(name, shape(name), random, 0.5f);
                float[] data = base.get(name).data().clone();
                for (int i = 0; i < data.length; i++) {
                    data[i] += noise.data()[i];
                }
                expert.put(name, new Tensor(name, shape(name), data));
            }
            for (String name : ExpertLayout.HEAD) {
                expert.put(name, RandomTensors.gaussian(name, shape(name), random, 1f));
            }
            expertTensors.put(run, expert);
            experts.put(run, store.save(run, 10, "FULL_WEIGHTS", expert.values(), expertMetadata));
            tasks.put(task(run), new TaskData(task(run), List.of("a", "b"), split("train", 8, expert, random),
                    split("validation", 40, expert, random), split("test", 60, expert, random), 42L, "fingerprint"));
        }
    }

    static String task(String run) {
        return "task-of-" + run;
    }

    public StopDecision decision(String run) {
        StoredCheckpoint checkpoint = experts.get(run);
        return StopDecision.newBuilder().setDecisionId(run + "/learned-fraction/10").setRunId(run).setTask(task(run))
                .setDecidedAtStep(12).setCheckpointStep(10L).setCheckpointUri(checkpoint.uri())
                .setCheckpointSha256(checkpoint.sha256()).setPolicy("learned-fraction").setPolicyVersion(1)
                .setMode(DecisionMode.ENFORCE).setReason("test").build();
    }

    public MergePlan plan(String planId) {
        return plan(planId, "task_arithmetic");
    }

    MergePlan plan(String planId, String method) {
        return new MergePlan(planId, new ArrayList<>(experts.keySet()), method, base.uri(), base.sha256());
    }

    List<ExpertCheckpoint> checkpoints() {
        return experts.keySet().stream().map(run -> ExpertCheckpoint.from(decision(run))).toList();
    }

    private static Split split(String name, int rows, Map<String, Tensor> network, Random random) {
        float[] features = new float[rows * DIM];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            float[] x = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                x[d] = (float) random.nextGaussian() * 2f;
            }
            System.arraycopy(x, 0, features, r * DIM, DIM);
            labels[r] = predict(network, x);
        }
        return new Split(name, DIM, features, labels);
    }

    /** The network's forward pass in plain Java, to label the data. */
    static int predict(Map<String, Tensor> n, float[] x) {
        float[] z = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            z[d] = (x[d] - n.get(ExpertLayout.INPUT_MEAN).data()[d]) / n.get(ExpertLayout.INPUT_STD).data()[d];
        }
        float[] h1 = layer(n.get(ExpertLayout.TRUNK0_WEIGHT), n.get(ExpertLayout.TRUNK0_BIAS), z, true);
        float[] h2 = layer(n.get(ExpertLayout.TRUNK1_WEIGHT), n.get(ExpertLayout.TRUNK1_BIAS), h1, true);
        float[] logits = layer(n.get(ExpertLayout.HEAD_WEIGHT), n.get(ExpertLayout.HEAD_BIAS), h2, false);
        return logits[1] > logits[0] ? 1 : 0;
    }

    private static float[] layer(Tensor weight, Tensor bias, float[] in, boolean relu) {
        int out = (int) weight.shape()[0];
        float[] result = new float[out];
        for (int o = 0; o < out; o++) {
            float sum = bias.data()[o];
            for (int i = 0; i < in.length; i++) {
                sum += weight.data()[o * in.length + i] * in[i];
            }
            result[o] = relu ? Math.max(0f, sum) : sum;
        }
        return result;
    }

    private static long[] shape(String name) {
        return switch (name) {
            case ExpertLayout.TRUNK0_WEIGHT -> new long[] {HIDDEN, DIM};
            case ExpertLayout.TRUNK1_WEIGHT -> new long[] {HIDDEN, HIDDEN};
            case ExpertLayout.TRUNK0_BIAS, ExpertLayout.TRUNK1_BIAS -> new long[] {HIDDEN};
            case ExpertLayout.HEAD_WEIGHT -> new long[] {CLASSES, HIDDEN};
            case ExpertLayout.HEAD_BIAS -> new long[] {CLASSES};
            default -> throw new IllegalArgumentException(name);
        };
    }
}
