package io.upcycle.model;

import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LoRA adapter of one expert, engine-free: rank, alpha, the low-rank factors of each target
 * layer and the task head, named and stored as {@link LoraLayout} documents.
 *
 * <p>Read one from a checkpoint with {@link #read}; {@link #mergeInto} turns it plus its base into
 * ordinary {@link ExpertLayout} weights ({@code W + (alpha / r) B A}), which is how the merger and
 * evaluation use an adapter.
 *
 * @param rank {@code r}
 * @param alpha {@code lora_alpha}
 * @param targets the adapted layers, in network order
 * @param baseSha256 sha256 of the base checkpoint the adapter applies to
 * @param a per target, {@code A} as {@code [r, in]} (tensor names are not used)
 * @param b per target, {@code B} as {@code [out, r]}
 * @param headWeight the task head's weight {@code [classes, 256]}
 * @param headBias the task head's bias {@code [classes]}
 */
public record LoraAdapter(int rank, float alpha, List<String> targets, String baseSha256, Map<String, Tensor> a,
                          Map<String, Tensor> b, Tensor headWeight, Tensor headBias) {

    public LoraAdapter {
        if (rank <= 0 || !(alpha > 0) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoRA rank must be > 0 and alpha a positive number, got r=" + rank + ", alpha=" + alpha);
        }
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a LoRA adapter needs at least one target layer");
        }
        for (String target : targets) {
            requireShape(a.get(target), LoraLayout.loraA(target), rank, LoraLayout.inDim(target));
            requireShape(b.get(target), LoraLayout.loraB(target), LoraLayout.outDim(target), rank);
        }
        if (targets.stream().distinct().count() != targets.size()) {
            throw new IllegalArgumentException("LoRA target layers repeat: " + targets);
        }
        if (headBias == null) {
            throw new IllegalArgumentException("LoRA adapter lacks tensor '" + LoraLayout.HEAD_BIAS + "'");
        }
        int classes = headBias.data().length;
        requireShape(headWeight, LoraLayout.HEAD_WEIGHT, classes, ExpertLayout.HIDDEN_DIM);
        a = Map.copyOf(a);
        b = Map.copyOf(b);
    }

    /** The factor the low-rank update is scaled by: {@code alpha / r}. */
    public float scale() {
        return alpha / rank;
    }

    /** The file's tensors under their PEFT names: per target A then B, then the head. */
    public List<Tensor> tensors() {
        List<Tensor> list = new ArrayList<>();
        for (String target : targets) {
            list.add(a.get(target).renamed(LoraLayout.loraA(target)));
            list.add(b.get(target).renamed(LoraLayout.loraB(target)));
        }
        list.add(headWeight.renamed(LoraLayout.HEAD_WEIGHT));
        list.add(headBias.renamed(LoraLayout.HEAD_BIAS));
        return list;
    }

    /** The file's metadata: PEFT's adapter_config keys under {@code peft.}, and the base's hash. */
    public Map<String, String> metadata() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(LoraLayout.META_PEFT_TYPE, "LORA");
        map.put(LoraLayout.META_RANK, Integer.toString(rank));
        map.put(LoraLayout.META_ALPHA, Float.toString(alpha));
        map.put(LoraLayout.META_TARGETS, String.join(",", targets));
        map.put(LoraLayout.META_MODULES_TO_SAVE, LoraLayout.HEAD);
        map.put(LoraLayout.META_BIAS, "none");
        map.put(LoraLayout.META_BASE_SHA256, baseSha256);
        return map;
    }

    /** Reads an adapter written with {@link #tensors} and {@link #metadata}; names what is missing. */
    public static LoraAdapter read(SafetensorsFile file) {
        Map<String, String> meta = file.metadata();
        if (!"LORA".equals(meta.get(LoraLayout.META_PEFT_TYPE))) {
            throw new IllegalArgumentException("checkpoint " + file.path() + " is not a LoRA adapter (metadata "
                    + LoraLayout.META_PEFT_TYPE + " = " + meta.get(LoraLayout.META_PEFT_TYPE) + ")");
        }
        List<String> targets = Arrays.stream(required(file, LoraLayout.META_TARGETS).split(","))
                .map(String::trim).toList();
        Map<String, Tensor> a = new LinkedHashMap<>();
        Map<String, Tensor> b = new LinkedHashMap<>();
        for (String target : targets) {
            a.put(target, file.read(LoraLayout.loraA(target)));
            b.put(target, file.read(LoraLayout.loraB(target)));
        }
        return new LoraAdapter(Integer.parseInt(required(file, LoraLayout.META_RANK)),
                Float.parseFloat(required(file, LoraLayout.META_ALPHA)), targets,
                meta.getOrDefault(LoraLayout.META_BASE_SHA256, ""), a, b, file.read(LoraLayout.HEAD_WEIGHT),
                file.read(LoraLayout.HEAD_BIAS));
    }

    /**
     * Ordinary expert weights from a base: every target's weight becomes {@code W + (alpha/r) B A},
     * the head is this adapter's (replacing any head the base has); all else is kept as it is.
     */
    public List<Tensor> mergeInto(Collection<Tensor> base) {
        List<Tensor> merged = new ArrayList<>();
        for (Tensor tensor : base) {
            if (ExpertLayout.HEAD.contains(tensor.name())) {
                continue;
            }
            String target = targets.stream().filter(t -> LoraLayout.baseWeight(t).equals(tensor.name())).findFirst().orElse(null);
            merged.add(target == null ? tensor : addLowRank(tensor, a.get(target), b.get(target)));
        }
        merged.add(headWeight.renamed(ExpertLayout.HEAD_WEIGHT));
        merged.add(headBias.renamed(ExpertLayout.HEAD_BIAS));
        return merged;
    }

    private Tensor addLowRank(Tensor weight, Tensor aTensor, Tensor bTensor) {
        int out = (int) bTensor.shape()[0];
        int in = (int) aTensor.shape()[1];
        requireShape(weight, weight.name(), out, in);
        float[] w = weight.data();
        float[] av = aTensor.data();
        float[] bv = bTensor.data();
        double scale = scale();
        float[] result = new float[w.length];
        double[] row = new double[in];
        for (int o = 0; o < out; o++) {
            Arrays.fill(row, 0);
            for (int k = 0; k < rank; k++) {
                double bok = bv[o * rank + k];
                for (int i = 0; i < in; i++) {
                    row[i] += bok * av[k * in + i];
                }
            }
            for (int i = 0; i < in; i++) {
                result[o * in + i] = (float) (w[o * in + i] + scale * row[i]);
            }
        }
        return new Tensor(weight.name(), weight.shape(), result);
    }

    private static String required(SafetensorsFile file, String key) {
        String value = file.metadata().get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("LoRA adapter " + file.path() + " lacks metadata '" + key + "'");
        }
        return value;
    }

    private static void requireShape(Tensor tensor, String name, long... shape) {
        if (tensor == null) {
            throw new IllegalArgumentException("LoRA adapter lacks tensor '" + name + "'");
        }
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new IllegalArgumentException("LoRA tensor '" + name + "' has shape " + Arrays.toString(tensor.shape())
                    + ", expected " + Arrays.toString(shape));
        }
    }
}
