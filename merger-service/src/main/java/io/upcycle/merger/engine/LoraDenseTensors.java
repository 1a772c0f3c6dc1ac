package io.upcycle.merger.engine;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The dense expert a LoRA adapter stands for, read a range of values at a time: on a target
 * layer, the values {@code W + (alpha/r) B A} of the rows the range touches, from the base's range
 * of {@code W} and the adapter's factors; the adapter's head for {@code head.*}; the base's
 * tensor for anything else. Each value is computed exactly as {@link LoraAdapter#mergeInto} computes
 * it (the rank sum in double, in rank order, then {@code (float) (w + scale * sum)}), so a range
 * equals the same values of the whole dense tensor, bit for bit. The factors' shapes are checked
 * against the base's weights up front, so a mismatch is refused before any value is read.
 */
public final class LoraDenseTensors implements ExpertTensors {
    private final LoraAdapter adapter;
    private final SafetensorsFile base;
    private final Map<String, String> targetOf = new HashMap<>();

    /** Refuses an adapter whose {@code B A} has another shape than a base weight it adapts, naming both files, the tensor and both shapes. */
    LoraDenseTensors(LoraAdapter adapter, Path adapterFile, SafetensorsFile base) {
        this.adapter = adapter;
        this.base = base;
        for (String target : adapter.targets()) {
            String name = LoraLayout.baseWeight(target);
            targetOf.put(name, target);
            long[] lowRank = {adapter.b().get(target).shape()[0], adapter.a().get(target).shape()[1]};
            if (base.contains(name) && !Arrays.equals(base.shape(name), lowRank)) {
                throw new IllegalArgumentException("LoRA adapter " + adapterFile + " adapts tensor '" + name + "' with B A of shape "
                        + Arrays.toString(lowRank) + " but it has shape " + Arrays.toString(base.shape(name)) + " in the base " + base.path());
            }
        }
    }

    @Override
    public long[] shape(String name) {
        Tensor head = head(name);
        return head != null ? head.shape().clone() : base.shape(name);
    }

    @Override
    public void readRange(String name, long from, float[] into, int count) {
        Tensor head = head(name);
        if (head != null) {
            if (from < 0 || count < 0 || count > into.length || from + count > head.data().length) {
                throw new IllegalArgumentException("range [" + from + ", " + (from + count) + ") of tensor '" + name
                        + "' is outside its " + head.data().length + " values (or larger than the buffer of " + into.length + ")");
            }
            System.arraycopy(head.data(), (int) from, into, 0, count);
            return;
        }
        base.readRange(name, from, into, count);
        String target = targetOf.get(name);
        if (target != null) {
            addLowRank(target, from, into, count);
        }
    }

    private Tensor head(String name) {
        if (name.equals(ExpertLayout.HEAD_WEIGHT)) {
            return adapter.headWeight();
        }
        return name.equals(ExpertLayout.HEAD_BIAS) ? adapter.headBias() : null;
    }

    /** Adds {@code (alpha/r) (B A)[p]} to {@code into[p - from]} for every flat index {@code p} of the range. */
    private void addLowRank(String target, long from, float[] into, int count) {
        float[] a = adapter.a().get(target).data();
        float[] b = adapter.b().get(target).data();
        int rank = adapter.rank();
        int in = (int) adapter.a().get(target).shape()[1];
        double scale = adapter.scale();
        for (int j = 0; j < count; j++) {
            long p = from + j;
            int o = (int) (p / in);
            int i = (int) (p % in);
            double sum = 0;
            for (int k = 0; k < rank; k++) {
                double bok = b[o * rank + k];
                sum += bok * a[k * in + i];
            }
            into[j] = (float) (into[j] + scale * sum);
        }
    }
}
