package io.upcycle.merger;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.Split;
import io.upcycle.model.tasks.TaskData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random base of the real layout (384 -> 256 -> 256, by default with a 3-class pretraining head) and, per
 * task, a rank-2 LoRA adapter stored as the trainer stores it (run {@code lora-<task>}) beside its
 * dense expert merged by hand here in plain loops (run {@code dense-<task>}). Each task's labels are
 * the dense expert's predictions.
 */
public final class TinyLora {
    public static final int RANK = 2;
    static final float ALPHA = 4f;
    static final int CLASSES = 2;

    public final CheckpointStore store;
    public final StoredCheckpoint base;
    public final Map<String, Tensor> baseTensors = new LinkedHashMap<>();
    public final Map<String, StoredCheckpoint> adapters = new LinkedHashMap<>();
    public final Map<String, StoredCheckpoint> dense = new LinkedHashMap<>();
    final Map<String, Map<String, Tensor>> denseTensors = new LinkedHashMap<>();
    public final Map<String, TaskData> tasks = new LinkedHashMap<>();
    private final Random random;

    public TinyLora(CheckpointStore store, long seed, List<String> taskNames) {
        this(store, seed, taskNames, true);
    }

    /** Without {@code baseHead}, the base has no head (a merge on files merges every tensor the base has). */
    public TinyLora(CheckpointStore store, long seed, List<String> taskNames, boolean baseHead) {
        this.store = store;
        this.random = new Random(seed);
        baseTensors.put(ExpertLayout.INPUT_MEAN, random(ExpertLayout.INPUT_MEAN, 0.1f, ExpertLayout.INPUT_DIM));
        float[] std = new float[ExpertLayout.INPUT_DIM];
        java.util.Arrays.fill(std, 0.5f);
        baseTensors.put(ExpertLayout.INPUT_STD, Tensor.of(ExpertLayout.INPUT_STD, std, ExpertLayout.INPUT_DIM));
        for (String name : ExpertLayout.TRUNK) {
            long[] shape = ExpertLayout.shape(name, CLASSES);
            baseTensors.put(name, random(name, (float) (1 / Math.sqrt((double) shape[shape.length - 1])), shape));
        }
        if (baseHead) {
            baseTensors.put(ExpertLayout.HEAD_WEIGHT, random(ExpertLayout.HEAD_WEIGHT, 0.1f, 3, ExpertLayout.HIDDEN_DIM));
            baseTensors.put(ExpertLayout.HEAD_BIAS, random(ExpertLayout.HEAD_BIAS, 0.1f, 3));
        }
        this.base = store.save("base", 0, "FULL_WEIGHTS", baseTensors.values(), Map.of());
        for (String task : taskNames) {
            LoraAdapter adapter = adapter(base.sha256());
            adapters.put(task, store.save("lora-" + task, 10, "LORA_ADAPTER", adapter.tensors(), adapter.metadata()));
            Map<String, Tensor> expert = handMerged(adapter);
            denseTensors.put(task, expert);
            dense.put(task, store.save("dense-" + task, 10, "FULL_WEIGHTS", expert.values(), Map.of()));
            tasks.put(task, new TaskData(task, List.of("a", "b"), split("train", 6, expert), split("validation", 12, expert),
                    split("test", 16, expert), 42L, "fingerprint"));
        }
    }

    /** A random adapter on both trunk layers; its {@code B} is not zero, so it changes the trunk. */
    LoraAdapter adapter(String baseSha256) {
        Map<String, Tensor> a = new LinkedHashMap<>();
        Map<String, Tensor> b = new LinkedHashMap<>();
        for (String target : LoraLayout.TARGETS) {
            a.put(target, random("a", 0.2f, RANK, LoraLayout.inDim(target)));
            b.put(target, random("b", 0.2f, LoraLayout.outDim(target), RANK));
        }
        return new LoraAdapter(RANK, ALPHA, LoraLayout.TARGETS, baseSha256, a, b,
                random("hw", 1f, CLASSES, ExpertLayout.HIDDEN_DIM), random("hb", 1f, CLASSES));
    }

    public ExpertCheckpoint checkpoint(String run, String task, StoredCheckpoint stored) {
        return new ExpertCheckpoint(run, task, 10, stored.uri(), stored.sha256());
    }

    /** {@code W + (alpha / r) B A} on both trunk weights, in plain loops, with the adapter's head. */
    private Map<String, Tensor> handMerged(LoraAdapter adapter) {
        Map<String, Tensor> expert = new LinkedHashMap<>();
        for (String name : List.of(ExpertLayout.INPUT_MEAN, ExpertLayout.INPUT_STD, ExpertLayout.TRUNK0_BIAS, ExpertLayout.TRUNK1_BIAS)) {
            expert.put(name, baseTensors.get(name));
        }
        for (String target : LoraLayout.TARGETS) {
            Tensor w = baseTensors.get(LoraLayout.baseWeight(target));
            int out = (int) w.shape()[0];
            int in = (int) w.shape()[1];
            float[] data = w.data().clone();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double sum = 0;
                    for (int k = 0; k < RANK; k++) {
                        sum += (double) adapter.b().get(target).data()[o * RANK + k] * adapter.a().get(target).data()[k * in + i];
                    }
                    data[o * in + i] = (float) (data[o * in + i] + ALPHA / RANK * sum);
                }
            }
            expert.put(w.name(), new Tensor(w.name(), w.shape(), data));
        }
        expert.put(ExpertLayout.HEAD_WEIGHT, adapter.headWeight().renamed(ExpertLayout.HEAD_WEIGHT));
        expert.put(ExpertLayout.HEAD_BIAS, adapter.headBias().renamed(ExpertLayout.HEAD_BIAS));
        return expert;
    }

    private Split split(String name, int rows, Map<String, Tensor> network) {
        int dim = ExpertLayout.INPUT_DIM;
        float[] features = new float[rows * dim];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dim; d++) {
                features[r * dim + d] = (float) random.nextGaussian();
            }
            float[] logits = JavaNetwork.logits(network, java.util.Arrays.copyOfRange(features, r * dim, (r + 1) * dim));
            labels[r] = logits[1] > logits[0] ? 1 : 0;
        }
        return new Split(name, dim, features, labels);
    }

    private Tensor random(String name, float scale, long... shape) {
        float[] data = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian() * scale;
        }
        return new Tensor(name, shape, data);
    }

    List<String> names() {
        return new ArrayList<>(tasks.keySet());
    }
}
