package io.upcycle.merger;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Sha256;
import io.upcycle.model.checkpoint.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code upcycle merge} on files, without Kafka or a checkpoint store: hashes the inputs, checks the
 * tensors ({@link FileMergePlan}), merges tensor by tensor on the manager's engine (each tensor in a
 * sub-manager closed before the next), writes the merged safetensors and a JSON card beside it.
 * The merged tensors are held in memory until the file is written (the writer takes them all).
 * An expert file may be a LoRA adapter of the base ({@code peft.peft_type = LORA}): it takes part as
 * its dense expert ({@link LoraDenseFile}), so the merge acts on its {@code ΔW = (alpha/r) B A}.
 */
public final class FileMerge {
    /** What was written and how long it took. */
    public record Result(Path output, String outputSha256, Path card, MergeParameters parameters, int mergedTensors,
                         int copiedTensors, long mergeMillis, long totalMillis) {
    }

    private FileMerge() {
    }

    /** Runs the merge that {@code args} describe with a method of {@code methods}. */
    public static Result run(FileMergeArgs args, MergeMethods methods, NDManager manager, String device) {
        long start = System.nanoTime();
        MergeMethod method = methods.get(args.method());
        Map<String, String> extra = new LinkedHashMap<>();
        if (args.density().isPresent()) {
            if (method.parameters().stream().noneMatch(p -> p.name().equals(MergeParameters.DENSITY))) {
                throw new IllegalArgumentException("--density given but method '" + method.name() + "' reads no density");
            }
            extra.put(MergeParameters.DENSITY, Double.toString(args.density().getAsDouble()));
        }
        MergeParameters parameters = method.resolve(new MergeParameters(args.lambda(), args.seed(), extra));
        Map<Path, String> hashes = new LinkedHashMap<>();
        hashes.put(args.base(), Sha256.of(args.base()));
        args.experts().forEach(expert -> hashes.put(expert, Sha256.of(expert)));
        List<SafetensorsFile> experts = new ArrayList<>();
        List<Path> denseFiles = new ArrayList<>();
        try (SafetensorsFile base = Safetensors.open(args.base())) {
            for (Path path : args.experts()) {
                experts.add(openDense(path, base, hashes.get(args.base()), denseFiles));
            }
            FileMergePlan plan = FileMergePlan.of(base, experts);
            long mergeStart = System.nanoTime();
            List<Tensor> output = new ArrayList<>();
            for (String name : plan.merged()) {
                output.add(mergeOne(manager, method, parameters, name, base, experts));
            }
            long mergeMillis = (System.nanoTime() - mergeStart) / 1_000_000;
            for (FileMergePlan.Copied copy : plan.copied()) {
                output.add(experts.get(copy.expert()).read(copy.name()).renamed(copy.outputName()));
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("upcycle.method", method.name());
            parameters.asStrings().forEach((key, value) -> metadata.put("upcycle.parameter." + key, value));
            metadata.put("upcycle.base_sha256", hashes.get(args.base()));
            for (int i = 0; i < args.experts().size(); i++) {
                metadata.put("upcycle.expert." + i, "sha256:" + hashes.get(args.experts().get(i)));
            }
            Safetensors.write(args.out(), output, metadata);
            String outputSha = Sha256.of(args.out());
            long totalMillis = (System.nanoTime() - start) / 1_000_000;
            Result result = new Result(args.out(), outputSha, cardPath(args.out()), parameters, plan.merged().size(),
                    plan.copied().size(), mergeMillis, totalMillis);
            FileMergeCard.write(result, method, hashes, args, sizeOf(args.out()), device);
            return result;
        } finally {
            experts.forEach(SafetensorsFile::close);
            denseFiles.forEach(FileMerge::deleteQuietly);
        }
    }

    /** The expert at {@code path}; a LoRA adapter is replaced by its dense expert, written to a temporary file. */
    private static SafetensorsFile openDense(Path path, SafetensorsFile base, String baseSha256, List<Path> denseFiles) {
        SafetensorsFile file = Safetensors.open(path);
        if (!ExpertTensors.isLora(file)) {
            return file;
        }
        try (file) {
            Path dense = LoraDenseFile.write(file, base, baseSha256);
            denseFiles.add(dense);
            return Safetensors.open(dense);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            // a temporary file left behind is harmless; the merge itself succeeded or already failed
        }
    }

    /** {@code M.safetensors} gets its card as {@code M.json}; other names get {@code .json} appended. */
    static Path cardPath(Path output) {
        String file = output.getFileName().toString();
        String stem = file.endsWith(".safetensors") ? file.substring(0, file.length() - ".safetensors".length()) : file;
        return output.resolveSibling(stem + ".json");
    }

    private static Tensor mergeOne(NDManager manager, MergeMethod method, MergeParameters parameters, String name,
                                   SafetensorsFile base, List<SafetensorsFile> experts) {
        try (NDManager scope = manager.newSubManager()) {
            Tensor baseTensor = base.read(name);
            NDArray baseArray = scope.create(baseTensor.data(), new Shape(baseTensor.shape()));
            List<NDArray> expertArrays = new ArrayList<>(experts.size());
            for (SafetensorsFile expert : experts) {
                expertArrays.add(scope.create(expert.read(name).data(), new Shape(baseTensor.shape())));
            }
            NDArray merged = method.merge(name, baseArray, expertArrays, parameters);
            return new Tensor(name, baseTensor.shape(), merged.toFloatArray());
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
