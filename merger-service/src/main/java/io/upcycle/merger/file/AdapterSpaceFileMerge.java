package io.upcycle.merger.file;

import io.upcycle.merger.engine.AdapterSpaceMerge;
import io.upcycle.merger.engine.ExpertTensors;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.files.Sha256;
import io.upcycle.model.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code upcycle merge --adapter-space} on files: reads every input as a LoRA adapter of the base
 * (refusing a full checkpoint or an adapter of another base), merges them with
 * {@link AdapterSpaceMerge} and writes one adapter of rank {@code Σr} per {@link LoraLayout}, so
 * that {@link ExpertTensors} reads it back as a dense expert. The head slot holds expert 0's head;
 * every task's head is kept as {@code experts.<i>.head.weight/bias}, as the dense file merge keeps
 * expert-only tensors, and the metadata says so.
 */
final class AdapterSpaceFileMerge {
    /** Metadata: {@code true} on an adapter merged in adapter space. */
    static final String META_ADAPTER_SPACE = "upcycle.adapter_space";
    /** Metadata: where each task's head is and what the head slot holds. */
    static final String META_HEADS = "upcycle.heads";

    private AdapterSpaceFileMerge() {
    }

    static FileMerge.Result run(FileMergeArgs args, MergeMethod method, MergeParameters parameters, String device) {
        long start = System.nanoTime();
        AdapterSpaceMerge.requireLinear(method.name());
        Map<Path, String> hashes = args.inputHashes();
        List<LoraAdapter> adapters = readAdapters(args, hashes, "--adapter-space merges",
                "merge without --adapter-space to merge full checkpoints");
        long mergeStart = System.nanoTime();
        double lambda = AdapterSpaceMerge.effectiveLambda(method.name(), parameters.lambda(), adapters.size());
        LoraAdapter merged = AdapterSpaceMerge.merge(method.name(), parameters.lambda(), adapters);
        long mergeNanos = System.nanoTime() - mergeStart;
        List<Tensor> tensors = new ArrayList<>(merged.tensors());
        for (int i = 0; i < adapters.size(); i++) {
            tensors.add(adapters.get(i).headWeight().renamed("experts." + i + "." + ExpertLayout.HEAD_WEIGHT));
            tensors.add(adapters.get(i).headBias().renamed("experts." + i + "." + ExpertLayout.HEAD_BIAS));
        }
        Map<String, String> metadata = new LinkedHashMap<>(merged.metadata());
        metadata.put("upcycle.method", method.name());
        parameters.asStrings().forEach((key, value) -> metadata.put("upcycle.parameter." + key, value));
        metadata.put(META_ADAPTER_SPACE, "true");
        metadata.put("upcycle.adapter_space.lambda", Double.toString(lambda));
        metadata.put("upcycle.adapter_space.ranks", String.join(",", adapters.stream().map(a -> Integer.toString(a.rank())).toList()));
        metadata.put(META_HEADS, "experts.<i>.head.weight/bias hold the head of input adapter i (0.." + (adapters.size() - 1)
                + "); the adapter's own head (" + LoraLayout.HEAD_WEIGHT + ", " + LoraLayout.HEAD_BIAS + ") is expert 0's");
        for (int i = 0; i < args.experts().size(); i++) {
            metadata.put("upcycle.expert." + i, "sha256:" + hashes.get(args.experts().get(i)));
        }
        Safetensors.write(args.out(), tensors, metadata);
        String outputSha = Sha256.of(args.out());
        FileMerge.Result result = new FileMerge.Result(args.out(), outputSha, FileMerge.cardPath(args.out()), parameters,
                2 * merged.targets().size(), 2 * adapters.size(), mergeNanos / 1_000_000, (System.nanoTime() - start) / 1_000_000);
        FileMergeCard.write(result, method.name(), method.referenceUrl(), hashes, args, args.out().toFile().length(), device);
        return result;
    }

    /**
     * Every expert file of {@code args} as a LoRA adapter of the base; a full checkpoint ("{@code mode}
     * LoRA adapters only", then {@code hint}) or an adapter of another base is refused, naming the file.
     */
    static List<LoraAdapter> readAdapters(FileMergeArgs args, Map<Path, String> hashes, String mode, String hint) {
        String baseSha = hashes.get(args.base()).toLowerCase(Locale.ROOT);
        List<LoraAdapter> adapters = new ArrayList<>();
        for (Path path : args.experts()) {
            adapters.add(readAdapter(path, args.base(), baseSha, mode, hint));
        }
        return adapters;
    }

    private static LoraAdapter readAdapter(Path path, Path base, String baseSha, String mode, String hint) {
        try (SafetensorsFile file = Safetensors.open(path)) {
            if (!ExpertTensors.isLora(file)) {
                throw new IllegalArgumentException(mode + " LoRA adapters only, but " + path + " is not one (metadata "
                        + LoraLayout.META_PEFT_TYPE + " = " + file.metadata().get(LoraLayout.META_PEFT_TYPE) + "); " + hint);
            }
            LoraAdapter adapter = LoraAdapter.read(file);
            String recorded = adapter.baseSha256().toLowerCase(Locale.ROOT);
            if (!recorded.equals(baseSha)) {
                throw new CheckpointException("LoRA adapter " + path + " belongs to the base with sha256 '" + recorded
                        + "' (metadata " + LoraLayout.META_BASE_SHA256 + ") but the merge's base " + base + " has sha256 " + baseSha);
            }
            return adapter;
        }
    }
}
