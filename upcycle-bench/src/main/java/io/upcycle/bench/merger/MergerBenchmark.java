package io.upcycle.bench.merger;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.upcycle.merger.engine.ChunkedTensorMerge;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.bench.trainer.PeakMemory;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one merge method over the benchmark's files with each implementation, in the same JVM: the
 * merger's whole-tensor path ({@link MergeMethod#merge} on an engine's manager, tensor by tensor from
 * the files, as the Kafka merger does), the streaming path of {@code upcycle merge} on files
 * ({@link ChunkedTensorMerge}), and {@link PlainJavaMerge}. First an unmeasured pass
 * that also compares the implementations tensor by tensor, then {@code repetitions} measured
 * merges per implementation, interleaved so that load changes hit all alike.
 */
final class MergerBenchmark {
    /**
     * One way of merging one tensor of the open base and expert files, reading what it needs; with
     * {@code keep} false a streaming implementation may drop its merged chunks (answering null).
     */
    interface TensorMerge {
        float[] merge(String tensor, SafetensorsFile base, List<SafetensorsFile> experts, boolean keep);
    }

    /** A merge of whole tensors, each read whole from the files first. */
    interface WholeTensorMerge {
        float[] merge(String tensor, Tensor base, List<Tensor> experts);
    }

    private static TensorMerge whole(WholeTensorMerge merge) {
        return (name, base, experts, keep) -> merge.merge(name, base.read(name), experts.stream().map(file -> file.read(name)).toList());
    }

    /** The measured merges of one implementation: wall seconds per repetition and the peaks of each. */
    record Measurement(String implementation, List<Double> seconds, List<PeakMemory.Peak> peaks) {
        double medianSeconds() {
            List<Double> sorted = seconds.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        long max(java.util.function.ToLongFunction<PeakMemory.Peak> field) {
            return peaks.stream().mapToLong(field).max().orElse(-1);
        }
    }

    /** One method's result: measurements per implementation and the largest |difference| of each pair's merged values. */
    record MethodResult(String method, MergeParameters parameters, Map<String, Measurement> measurements,
                        Map<String, Double> maxAbsDiff) {
    }

    private MergerBenchmark() {
    }

    /** The merger's own path on {@code manager}'s engine: arrays in a sub-manager closed after each tensor. */
    static TensorMerge onEngine(NDManager manager, MergeMethod method, MergeParameters parameters) {
        return whole((name, base, experts) -> {
            try (NDManager scope = manager.newSubManager()) {
                NDArray baseArray = scope.create(base.data(), new Shape(base.shape()));
                List<NDArray> expertArrays = new ArrayList<>(experts.size());
                for (Tensor expert : experts) {
                    expertArrays.add(scope.create(expert.data(), new Shape(expert.shape())));
                }
                return method.merge(name, baseArray, expertArrays, parameters).toFloatArray();
            }
        });
    }

    /**
     * A streaming path of {@code upcycle merge} on files, {@link ChunkedTensorMerge}, reading, merging
     * and handing on a chunk at a time (kept only for the comparison).
     */
    static TensorMerge chunked(ChunkedTensorMerge merger) {
        return (name, base, experts, keep) -> {
            float[] all = keep ? new float[(int) base.elementCount(name)] : null;
            int[] filled = {0};
            merger.merge(name, base, experts, (values, count) -> {
                if (all != null) {
                    System.arraycopy(values, 0, all, filled[0], count);
                }
                filled[0] += count;
            });
            return all;
        };
    }

    /** The plain-Java loops of {@link PlainJavaMerge}. */
    static TensorMerge plainJava(String method, MergeParameters parameters) {
        return whole((name, base, experts) -> PlainJavaMerge.merge(method, name, base.data(),
                experts.stream().map(Tensor::data).toList(), parameters));
    }

    static MethodResult run(String method, MergeParameters parameters, Map<String, TensorMerge> implementations,
                            MergerBenchData data, int repetitions, PrintStream out) {
        Map<String, Double> diffs = compare(implementations, data);
        out.printf(Locale.ROOT, "%s: warm-up and comparison done, max |diff| %s%n", method, diffs);
        PeakMemory memory = new PeakMemory();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, List<PeakMemory.Peak>> peaks = new LinkedHashMap<>();
        implementations.keySet().forEach(name -> {
            seconds.put(name, new ArrayList<>());
            peaks.put(name, new ArrayList<>());
        });
        for (int rep = 0; rep < repetitions; rep++) {
            for (Map.Entry<String, TensorMerge> implementation : implementations.entrySet()) {
                memory.reset();
                long start = System.nanoTime();
                mergeAll(implementation.getValue(), data);
                double elapsed = (System.nanoTime() - start) / 1e9;
                peaks.get(implementation.getKey()).add(memory.read());
                seconds.get(implementation.getKey()).add(elapsed);
                out.printf(Locale.ROOT, "  %s %-8s rep %d: %.3f s%n", method, implementation.getKey(), rep + 1, elapsed);
            }
        }
        Map<String, Measurement> measurements = new LinkedHashMap<>();
        implementations.keySet().forEach(name -> measurements.put(name, new Measurement(name, seconds.get(name), peaks.get(name))));
        return new MethodResult(method, parameters, measurements, diffs);
    }

    /** Merges every tensor with every implementation and answers the largest |difference| per pair. */
    private static Map<String, Double> compare(Map<String, TensorMerge> implementations, MergerBenchData data) {
        List<String> names = List.copyOf(implementations.keySet());
        Map<String, Double> diffs = new LinkedHashMap<>();
        for (int a = 0; a < names.size(); a++) {
            for (int b = a + 1; b < names.size(); b++) {
                diffs.put(names.get(a) + "_vs_" + names.get(b), 0.0);
            }
        }
        try (Files files = Files.open(data)) {
            for (String tensor : data.tensors()) {
                List<float[]> results = new ArrayList<>();
                for (String name : names) {
                    results.add(implementations.get(name).merge(tensor, files.base, files.experts, true));
                }
                for (int a = 0; a < names.size(); a++) {
                    for (int b = a + 1; b < names.size(); b++) {
                        diffs.merge(names.get(a) + "_vs_" + names.get(b), maxAbsDiff(results.get(a), results.get(b)), Math::max);
                    }
                }
            }
        }
        return diffs;
    }

    /** One merge of every tensor, read from the files, as the measured unit. */
    private static void mergeAll(TensorMerge merge, MergerBenchData data) {
        try (Files files = Files.open(data)) {
            for (String tensor : data.tensors()) {
                merge.merge(tensor, files.base, files.experts, false);
            }
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs((double) a[i] - b[i]);
            max = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : Math.max(max, diff);
        }
        return max;
    }

    /** The open base and expert files of one merge. */
    private record Files(SafetensorsFile base, List<SafetensorsFile> experts) implements AutoCloseable {
        static Files open(MergerBenchData data) {
            List<SafetensorsFile> experts = new ArrayList<>();
            data.experts().forEach(path -> experts.add(Safetensors.open(path)));
            return new Files(Safetensors.open(data.base()), experts);
        }

        @Override
        public void close() {
            base.close();
            experts.forEach(SafetensorsFile::close);
        }
    }
}
