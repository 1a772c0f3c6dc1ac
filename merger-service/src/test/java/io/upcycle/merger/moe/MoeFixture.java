package io.upcycle.merger.moe;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.JavaNetwork;
import io.upcycle.merger.plan.MergePlan;
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
 * A random base of the real layout and, per task, a rank-2 LoRA adapter stored as the trainer
 * stores it, built so that routing is learnable: task {@code t}'s embeddings point along their own
 * direction {@code d_t}, adapter {@code t}'s trunk.0 update reads mostly {@code d_t} and writes onto
 * its own block of hidden units, and its trunk.1 update reads that block. Labels are the dense
 * expert's predictions (plain Java), with its head's bias set so that both classes occur about
 * equally; each expert alone scores 1.0, and so does an MoE that routes every example to its own
 * task's adapter.
 */
final class MoeFixture {
    static final int RANK = 2;
    static final float ALPHA = 4f;
    static final float SIGNAL = 8f;

    final CheckpointStore store;
    final StoredCheckpoint base;
    final Map<String, Tensor> baseTensors = new LinkedHashMap<>();
    final Map<String, LoraAdapter> adapters = new LinkedHashMap<>();
    final Map<String, StoredCheckpoint> stored = new LinkedHashMap<>();
    final Map<String, TaskData> tasks = new LinkedHashMap<>();
    private final Random random;

    MoeFixture(CheckpointStore store, long seed, List<String> taskNames) {
        this.store = store;
        this.random = new Random(seed);
        baseTensors.put(ExpertLayout.INPUT_MEAN, random(ExpertLayout.INPUT_MEAN, 0.1f, ExpertLayout.INPUT_DIM));
        float[] std = new float[ExpertLayout.INPUT_DIM];
        java.util.Arrays.fill(std, 0.5f);
        baseTensors.put(ExpertLayout.INPUT_STD, Tensor.of(ExpertLayout.INPUT_STD, std, ExpertLayout.INPUT_DIM));
        for (String name : ExpertLayout.TRUNK) {
            long[] shape = ExpertLayout.shape(name, 2);
            baseTensors.put(name, random(name, (float) (1 / Math.sqrt((double) shape[shape.length - 1])), shape));
        }
        this.base = store.save("base", 0, "FULL_WEIGHTS", baseTensors.values(), Map.of());
        int block = ExpertLayout.HIDDEN_DIM / taskNames.size();
        for (int t = 0; t < taskNames.size(); t++) {
            String task = taskNames.get(t);
            float[] direction = unit(ExpertLayout.INPUT_DIM);
            LoraAdapter draft = adapter(base.sha256(), direction, t * block, block);
            float[][] splits = {features(40, direction), features(10, direction), features(30, direction)};
            LoraAdapter adapter = balanced(draft, splits);
            adapters.put(task, adapter);
            stored.put(task, store.save("lora-" + task, 10, "LORA_ADAPTER", adapter.tensors(), adapter.metadata()));
            Map<String, Tensor> dense = dense(adapter);
            tasks.put(task, new TaskData(task, List.of("a", "b"), split("train", splits[0], dense),
                    split("validation", splits[1], dense), split("test", splits[2], dense), 42L, "fingerprint"));
        }
    }

    MergePlan plan(String method) {
        return new MergePlan("moe-" + method, tasks.keySet().stream().map(t -> "lora-" + t).toList(), method, base.uri(), base.sha256());
    }

    List<ExpertCheckpoint> checkpoints() {
        return tasks.keySet().stream().map(t -> new ExpertCheckpoint("lora-" + t, t, 10, stored.get(t).uri(), stored.get(t).sha256())).toList();
    }

    /** trunk.0 reads {@code direction} and writes onto units {@code [from, from + width)}; trunk.1 reads those units. */
    LoraAdapter adapter(String baseSha256, float[] direction, int from, int width) {
        int in0 = ExpertLayout.INPUT_DIM;
        int hidden = ExpertLayout.HIDDEN_DIM;
        float[] a0 = random("a0", 0.02f, RANK, in0).data();
        System.arraycopy(direction, 0, a0, 0, in0);
        float[] b0 = random("b0", 0.02f, hidden, RANK).data();
        float[] a1 = random("a1", 0.02f, RANK, hidden).data();
        for (int u = from; u < from + width; u++) {
            b0[u * RANK] = 0.5f;
            a1[u] = (float) (1 / Math.sqrt(width));
        }
        float[] b1 = random("b1", 0.3f, hidden, RANK).data();
        Map<String, Tensor> a = Map.of(LoraLayout.TRUNK0, Tensor.of("a", a0, RANK, in0), LoraLayout.TRUNK1, Tensor.of("a", a1, RANK, hidden));
        Map<String, Tensor> b = Map.of(LoraLayout.TRUNK0, Tensor.of("b", b0, hidden, RANK), LoraLayout.TRUNK1, Tensor.of("b", b1, hidden, RANK));
        return new LoraAdapter(RANK, ALPHA, LoraLayout.TARGETS, baseSha256, a, b, random("hw", 1f, 2, hidden), random("hb", 0.5f, 2));
    }

    private Map<String, Tensor> dense(LoraAdapter adapter) {
        Map<String, Tensor> network = new LinkedHashMap<>();
        adapter.mergeInto(new ArrayList<>(baseTensors.values())).forEach(t -> network.put(t.name(), t));
        return network;
    }

    /** Raw embeddings {@code mean + std (SIGNAL d + noise)}: standardized, they follow {@code d}. */
    private float[] features(int rows, float[] direction) {
        int dim = ExpertLayout.INPUT_DIM;
        float[] features = new float[rows * dim];
        float[] mean = baseTensors.get(ExpertLayout.INPUT_MEAN).data();
        float[] std = baseTensors.get(ExpertLayout.INPUT_STD).data();
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dim; d++) {
                features[r * dim + d] = (float) (mean[d] + std[d] * (SIGNAL * direction[d] + random.nextGaussian()));
            }
        }
        return features;
    }

    /** The adapter with its head's class-1 bias set so that its dense expert splits the examples about evenly. */
    private LoraAdapter balanced(LoraAdapter draft, float[][] splits) {
        Map<String, Tensor> dense = dense(draft);
        List<Float> margins = new ArrayList<>();
        int dim = ExpertLayout.INPUT_DIM;
        for (float[] features : splits) {
            for (int r = 0; r < features.length / dim; r++) {
                float[] logits = JavaNetwork.logits(dense, java.util.Arrays.copyOfRange(features, r * dim, (r + 1) * dim));
                margins.add(logits[1] - logits[0]);
            }
        }
        java.util.Collections.sort(margins);
        float median = margins.get(margins.size() / 2);
        float[] bias = draft.headBias().data().clone();
        bias[1] -= median + 1e-3f;
        return new LoraAdapter(draft.rank(), draft.alpha(), draft.targets(), draft.baseSha256(), draft.a(), draft.b(),
                draft.headWeight(), Tensor.of("hb", bias, 2));
    }

    private static Split split(String name, float[] features, Map<String, Tensor> network) {
        int dim = ExpertLayout.INPUT_DIM;
        int[] labels = new int[features.length / dim];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = argMax(JavaNetwork.logits(network, java.util.Arrays.copyOfRange(features, r * dim, (r + 1) * dim)));
        }
        return new Split(name, dim, features, labels);
    }

    private static int argMax(float[] logits) {
        return logits[1] > logits[0] ? 1 : 0;
    }

    private float[] unit(int dim) {
        float[] v = random("d", 1f, dim).data();
        double norm = 0;
        for (float value : v) {
            norm += value * value;
        }
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    private Tensor random(String name, float scale, long... shape) {
        float[] data = new float[(int) Tensor.elementCount(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian() * scale;
        }
        return new Tensor(name, shape, data);
    }
}
