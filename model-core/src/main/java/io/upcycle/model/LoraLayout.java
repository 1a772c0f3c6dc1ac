package io.upcycle.model;

import io.upcycle.model.checkpoint.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The one place that names a LoRA adapter's tensors and metadata, shared by the trainer (which
 * writes adapters) and the merger (which reads them).
 *
 * <p>Tensor names follow PEFT's saved-adapter convention ({@code get_peft_model_state_dict}: the
 * adapter name {@code default} and the {@code modules_to_save.} wrapper are stripped), with our
 * expert network standing where PEFT's wrapped model would be, so its modules are
 * {@code trunk.0}, {@code trunk.1} and {@code head} exactly as in {@link ExpertLayout}:
 * <ul>
 *   <li>{@code base_model.model.trunk.0.lora_A.weight} {@code [r, 384]},
 *       {@code base_model.model.trunk.0.lora_B.weight} {@code [256, r]};</li>
 *   <li>{@code base_model.model.trunk.1.lora_A.weight} {@code [r, 256]},
 *       {@code base_model.model.trunk.1.lora_B.weight} {@code [256, r]};</li>
 *   <li>{@code base_model.model.head.weight} {@code [classes, 256]} and
 *       {@code base_model.model.head.bias} {@code [classes]}: the new task head, trained in full
 *       (PEFT's {@code modules_to_save}).</li>
 * </ul>
 * A target layer then computes {@code x W^T + b + (alpha / r) x A^T B^T}; merged, its weight is
 * {@code W + (alpha / r) B A}. Biases of the base stay frozen (PEFT's {@code bias="none"}).
 *
 * <p>PEFT keeps {@code r}, {@code lora_alpha} and {@code target_modules} in
 * {@code adapter_config.json}; an adapter here is one self-contained safetensors file, so the
 * same keys go into the file's metadata under a {@code peft.} prefix (values as text, targets
 * comma-separated), next to the sha256 of the base checkpoint the adapter belongs to.
 */
public final class LoraLayout {
    /** PEFT's prefix of every tensor of a wrapped model. */
    public static final String PREFIX = "base_model.model.";

    public static final String TRUNK0 = "trunk.0";
    public static final String TRUNK1 = "trunk.1";
    public static final String HEAD = "head";
    /** The layers an adapter may target, in network order. */
    public static final List<String> TARGETS = List.of(TRUNK0, TRUNK1);

    public static final String HEAD_WEIGHT = PREFIX + HEAD + ".weight";
    public static final String HEAD_BIAS = PREFIX + HEAD + ".bias";

    /** Metadata: always {@code LORA}. */
    public static final String META_PEFT_TYPE = "peft.peft_type";
    /** Metadata: the rank {@code r}, a whole number. */
    public static final String META_RANK = "peft.r";
    /** Metadata: {@code lora_alpha}; the update is scaled by {@code alpha / r}. */
    public static final String META_ALPHA = "peft.lora_alpha";
    /** Metadata: the targeted layers, comma-separated in network order ({@code trunk.0,trunk.1}). */
    public static final String META_TARGETS = "peft.target_modules";
    /** Metadata: the layers trained in full and saved whole: {@code head}. */
    public static final String META_MODULES_TO_SAVE = "peft.modules_to_save";
    /** Metadata: which biases the adapter trains: {@code none}. */
    public static final String META_BIAS = "peft.bias";
    /** Metadata: sha256 of the base checkpoint the adapter applies to (same key as full checkpoints). */
    public static final String META_BASE_SHA256 = io.upcycle.model.checkpoint.CheckpointMetadata.BASE_SHA256;

    private static final Map<String, String[]> BASE_TENSORS = Map.of(
            TRUNK0, new String[] {ExpertLayout.TRUNK0_WEIGHT, ExpertLayout.TRUNK0_BIAS},
            TRUNK1, new String[] {ExpertLayout.TRUNK1_WEIGHT, ExpertLayout.TRUNK1_BIAS});

    private LoraLayout() {
    }

    /** Name of the down-projection {@code A} ({@code [r, in]}) of a target layer. */
    public static String loraA(String target) {
        return PREFIX + checkTarget(target) + ".lora_A.weight";
    }

    /** Name of the up-projection {@code B} ({@code [out, r]}) of a target layer. */
    public static String loraB(String target) {
        return PREFIX + checkTarget(target) + ".lora_B.weight";
    }

    /** The {@link ExpertLayout} name of the base weight a target adapts ({@code trunk.0.weight}). */
    public static String baseWeight(String target) {
        return BASE_TENSORS.get(checkTarget(target))[0];
    }

    /** Input width of a target layer. */
    public static int inDim(String target) {
        return (int) ExpertLayout.shape(baseWeight(target), 0)[1];
    }

    /** Output width of a target layer. */
    public static int outDim(String target) {
        return (int) ExpertLayout.shape(baseWeight(target), 0)[0];
    }

    /** The target's name, or an error listing the layers that can be targeted. */
    public static String checkTarget(String target) {
        if (!TARGETS.contains(target)) {
            throw new IllegalArgumentException("'" + target + "' is not a LoRA target layer; known: " + String.join(", ", TARGETS));
        }
        return target;
    }
}
