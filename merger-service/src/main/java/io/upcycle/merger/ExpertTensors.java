package io.upcycle.merger;

import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * An expert's tensors under {@link ExpertLayout} names, whatever its checkpoint holds: a full
 * checkpoint is read as it is; a LoRA adapter (metadata {@code peft.peft_type = LORA}) is read as
 * the dense expert it stands for: {@code W + (alpha/r) B A} on its target layers, the adapter's
 * head, and the base's other tensors (input standardization, biases, untargeted layers). Merging
 * the dense view merges the adapters' dense {@code ΔW = (alpha/r) B A}.
 *
 * <p>Dense tensors are computed one at a time when read: only the adapter's small factors stay in
 * memory, never a second copy of the whole model.
 */
@FunctionalInterface
public interface ExpertTensors {

    /** The tensor of that {@link ExpertLayout} name. */
    Tensor read(String name);

    /** Whether {@code file} is a LoRA adapter by its metadata. */
    static boolean isLora(SafetensorsFile file) {
        return "LORA".equals(file.metadata().get(LoraLayout.META_PEFT_TYPE));
    }

    /**
     * The expert in {@code file}; for an adapter, checks that it was trained on the base whose
     * sha256 is {@code baseSha256} and refuses it otherwise, naming the file and both hashes.
     */
    static ExpertTensors of(SafetensorsFile file, SafetensorsFile base, String baseSha256) {
        if (!isLora(file)) {
            return file::read;
        }
        LoraAdapter adapter = LoraAdapter.read(file);
        String recorded = adapter.baseSha256().toLowerCase(Locale.ROOT);
        if (!recorded.equals(baseSha256.toLowerCase(Locale.ROOT))) {
            throw new CheckpointException("LoRA adapter " + file.path() + " belongs to the base with sha256 '" + recorded
                    + "' (metadata " + LoraLayout.META_BASE_SHA256 + ") but the merge's base " + base.path()
                    + " has sha256 " + baseSha256);
        }
        return name -> {
            if (name.equals(ExpertLayout.HEAD_WEIGHT)) {
                return adapter.headWeight().renamed(ExpertLayout.HEAD_WEIGHT);
            }
            if (name.equals(ExpertLayout.HEAD_BIAS)) {
                return adapter.headBias().renamed(ExpertLayout.HEAD_BIAS);
            }
            // mergeInto adds B A to a target weight, passes anything else through, and appends the head
            return adapter.mergeInto(List.of(base.read(name))).get(0);
        };
    }
}
