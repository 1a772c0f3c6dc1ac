package io.upcycle.merger.engine;

import io.upcycle.merger.eval.NetworkTensors;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An expert's tensors under {@link ExpertLayout} names, whatever its checkpoint holds: a full
 * checkpoint is read as it is; a LoRA adapter (metadata {@code peft.peft_type = LORA}) is read as
 * the dense expert it stands for ({@link LoraDenseTensors}): {@code W + (alpha/r) B A} on its target
 * layers, the adapter's head, and the base's other tensors (input standardization, biases,
 * untargeted layers). Merging the dense view merges the adapters' dense {@code ΔW = (alpha/r) B A}.
 *
 * <p>Values can be read a range at a time ({@link #readRange}), so that a merge streams every expert
 * in chunks, a LoRA expert included: its dense rows are computed for the range asked, and only the
 * adapter's small factors stay in memory, never a whole dense matrix.
 */
public interface ExpertTensors {

    /** The shape of the tensor of that {@link ExpertLayout} name, without reading it. */
    long[] shape(String name);

    /**
     * Reads values {@code [from, from + count)} (row-major) of the tensor of that name into
     * {@code into[0..count)}; the values equal those of {@link #read}.
     */
    void readRange(String name, long from, float[] into, int count);

    /** How many values the tensor of that name holds. */
    default long elementCount(String name) {
        return Tensor.elementCount(shape(name));
    }

    /** The whole tensor of that {@link ExpertLayout} name. */
    default Tensor read(String name) {
        long[] shape = shape(name);
        long count = Tensor.elementCount(shape);
        if (count > Integer.MAX_VALUE - 8) {
            throw new CheckpointException("tensor '" + name + "' has " + count + " values, more than one Java array holds");
        }
        float[] data = new float[(int) count];
        readRange(name, 0, data, data.length);
        return new Tensor(name, shape, data);
    }

    /** Input standardization, trunk and head, as an evaluable network. */
    default NetworkTensors network() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (List<String> group : List.of(ExpertLayout.INPUT, ExpertLayout.TRUNK, ExpertLayout.HEAD)) {
            group.forEach(name -> all.put(name, read(name)));
        }
        return new NetworkTensors(all);
    }

    /** Whether {@code file} is a LoRA adapter by its metadata. */
    static boolean isLora(SafetensorsFile file) {
        return "LORA".equals(file.metadata().get(LoraLayout.META_PEFT_TYPE));
    }

    /** A full checkpoint's tensors as they are stored. */
    static ExpertTensors of(SafetensorsFile file) {
        return new ExpertTensors() {
            @Override
            public long[] shape(String name) {
                return file.shape(name);
            }

            @Override
            public void readRange(String name, long from, float[] into, int count) {
                file.readRange(name, from, into, count);
            }

            @Override
            public Tensor read(String name) {
                return file.read(name);
            }
        };
    }

    /**
     * The expert in {@code file}; for an adapter, checks that it was trained on the base whose
     * sha256 is {@code baseSha256} and refuses it otherwise, naming the file and both hashes.
     */
    static ExpertTensors of(SafetensorsFile file, SafetensorsFile base, String baseSha256) {
        if (!isLora(file)) {
            return of(file);
        }
        LoraAdapter adapter = LoraAdapter.read(file);
        String recorded = adapter.baseSha256().toLowerCase(Locale.ROOT);
        if (!recorded.equals(baseSha256.toLowerCase(Locale.ROOT))) {
            throw new CheckpointException("LoRA adapter " + file.path() + " belongs to the base with sha256 '" + recorded
                    + "' (metadata " + LoraLayout.META_BASE_SHA256 + ") but the merge's base " + base.path()
                    + " has sha256 " + baseSha256);
        }
        return new LoraDenseTensors(adapter, file.path(), base);
    }
}
