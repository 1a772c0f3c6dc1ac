package io.upcycle.merger.file;

import ai.djl.ndarray.NDManager;
import io.upcycle.files.Sha256;
import io.upcycle.merger.engine.ChunkedTensorMerge;
import io.upcycle.merger.engine.ExpertTensors;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.moe.MoeUpcycler;
import io.upcycle.model.checkpoint.CheckpointMetadata;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code upcycle merge} on files, without Kafka or a checkpoint store: hashes the inputs, checks the
 * tensors ({@link FileMergePlan}), then streams: every tensor is read, merged on the manager's engine
 * ({@link ChunkedTensorMerge}) and written ({@link SafetensorsWriter}) a chunk at a time, so memory
 * stays near (experts + 2) chunks whatever the model size; then the JSON card beside the output.
 * An expert file may be a LoRA adapter of the base ({@code peft.peft_type = LORA}): it takes part as
 * its dense expert ({@link FileExpert}), so the merge acts on its {@code ΔW = (alpha/r) B A}; its
 * dense rows are computed chunk by chunk from the base and its factors, never a whole matrix. With
 * {@code --adapter-space}, LoRA adapters are merged as factors into one adapter ({@link AdapterSpaceFileMerge});
 * with {@code --method moe_arrow} they are upcycled into a mixture of experts ({@link MoeFileUpcycle}).
 */
public final class FileMerge {
    /** What was written and how long it took. */
    public record Result(Path output, String outputSha256, Path card, MergeParameters parameters, int mergedTensors,
                         int copiedTensors, long mergeMillis, long totalMillis) {
    }

    private FileMerge() {
    }

    /** Runs the merge that {@code args} describe with a method of {@code methods}, in chunks of {@link ChunkedTensorMerge#DEFAULT_CHUNK} values. */
    public static Result run(FileMergeArgs args, MergeMethods methods, NDManager manager, String device) {
        return run(args, methods, manager, device, ChunkedTensorMerge.DEFAULT_CHUNK);
    }

    /**
     * Runs the merge that {@code args} describe, reading, merging and writing every tensor in chunks of
     * at most {@code chunkElements} values (the output does not depend on the chunk size).
     */
    public static Result run(FileMergeArgs args, MergeMethods methods, NDManager manager, String device, int chunkElements) {
        if (MoeUpcycler.METHODS.contains(args.method())) {
            return MoeFileUpcycle.run(args, device);
        }
        long start = System.nanoTime();
        MergeMethod method = methods.get(args.method());
        Map<String, String> extra = new LinkedHashMap<>();
        if (args.density().isPresent()) {
            if (!method.reads(MergeParameters.DENSITY)) {
                throw new IllegalArgumentException("--density given but method '" + method.name() + "' reads no density");
            }
            extra.put(MergeParameters.DENSITY, Double.toString(args.density().getAsDouble()));
        }
        if (args.trimScope() != null) {
            if (!method.reads(MergeParameters.TRIM_SCOPE)) {
                throw new IllegalArgumentException("--trim-scope given but method '" + method.name() + "' does not trim by magnitude");
            }
            extra.put(MergeParameters.TRIM_SCOPE, args.trimScope().value());
        }
        MergeParameters parameters = method.resolve(new MergeParameters(args.lambda(), args.seed(), extra));
        if (args.adapterSpace()) {
            return AdapterSpaceFileMerge.run(args, method, parameters, device);
        }
        ChunkedTensorMerge merger = new ChunkedTensorMerge(manager, method, parameters, chunkElements);
        Map<Path, String> hashes = args.inputHashes();
        List<FileExpert> experts = new ArrayList<>();
        try (SafetensorsFile base = Safetensors.open(args.base())) {
            for (Path path : args.experts()) {
                experts.add(FileExpert.open(path, base, hashes.get(args.base())));
            }
            ExpertTensors baseTensors = ExpertTensors.of(base);
            List<ExpertTensors> expertTensors = experts.stream().map(FileExpert::tensors).toList();
            FileMergePlan plan = FileMergePlan.of(base, experts);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("upcycle.method", method.name());
            parameters.asStrings().forEach((key, value) -> metadata.put("upcycle.parameter." + key, value));
            metadata.put(CheckpointMetadata.BASE_SHA256, hashes.get(args.base()));
            for (int i = 0; i < args.experts().size(); i++) {
                metadata.put("upcycle.expert." + i, "sha256:" + hashes.get(args.experts().get(i)));
            }
            Map<String, FileMergePlan.Copied> copies = new LinkedHashMap<>();
            List<SafetensorsWriter.Spec> specs = new ArrayList<>();
            plan.merged().forEach(name -> specs.add(new SafetensorsWriter.Spec(name, base.shape(name))));
            for (FileMergePlan.Copied copy : plan.copied()) {
                copies.put(copy.outputName(), copy);
                specs.add(new SafetensorsWriter.Spec(copy.outputName(), experts.get(copy.expert()).shape(copy.name())));
            }
            long mergeNanos = System.nanoTime();
            merger.prepare(plan.merged(), baseTensors, expertTensors);
            mergeNanos = System.nanoTime() - mergeNanos;
            try (SafetensorsWriter writer = SafetensorsWriter.open(args.out(), specs, metadata)) {
                for (SafetensorsWriter.Spec spec : writer.order()) {
                    FileMergePlan.Copied copy = copies.get(spec.name());
                    if (copy == null) {
                        long mergeStart = System.nanoTime();
                        merger.merge(spec.name(), baseTensors, expertTensors, writer::write);
                        mergeNanos += System.nanoTime() - mergeStart;
                    } else {
                        copy(expertTensors.get(copy.expert()), copy.name(), chunkElements, writer);
                    }
                }
                writer.commit();
            }
            String outputSha = Sha256.of(args.out());
            long totalMillis = (System.nanoTime() - start) / 1_000_000;
            Result result = new Result(args.out(), outputSha, cardPath(args.out()), parameters, plan.merged().size(),
                    plan.copied().size(), mergeNanos / 1_000_000, totalMillis);
            FileMergeCard.write(result, method.name(), method.referenceUrl(), hashes, args, sizeOf(args.out()), device);
            return result;
        } finally {
            experts.forEach(FileExpert::close);
        }
    }

    /** Copies one tensor unchanged (as float32), a chunk at a time. */
    private static void copy(ExpertTensors expert, String name, int chunkElements, SafetensorsWriter writer) {
        long elements = expert.elementCount(name);
        float[] chunk = new float[(int) Math.max(1, Math.min(chunkElements, elements))];
        for (long from = 0; from < elements; from += chunk.length) {
            int count = (int) Math.min(chunk.length, elements - from);
            expert.readRange(name, from, chunk, count);
            writer.write(chunk, count);
        }
    }

    /** {@code M.safetensors} gets its card as {@code M.json}; other names get {@code .json} appended. */
    public static Path cardPath(Path output) {
        String file = output.getFileName().toString();
        String stem = file.endsWith(".safetensors") ? file.substring(0, file.length() - ".safetensors".length()) : file;
        return output.resolveSibling(stem + ".json");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
