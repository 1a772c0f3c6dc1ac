package io.upcycle.bench.merger;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.upcycle.bench.Bench;
import io.upcycle.merger.engine.ChunkedTensorMerge;
import io.upcycle.merger.engine.TensorFlowEngine;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.method.ParallelRanges;
import io.upcycle.files.UpcycleHome;
import io.upcycle.trainer.network.PyTorchRuntime;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upcycle bench merger}: task arithmetic, TIES and DARE-TIES over a base and N experts
 * written as real safetensors files, merged in one JVM by the path {@code upcycle merge} and plans
 * run ({@code merger}: fused Java passes on every core on a CPU, the TensorFlow engine on a GPU), by
 * the merger's code on DJL's TensorFlow engine (whole tensors, and streamed in chunks), by plain
 * one-thread Java loops and by the merger's code on DJL's PyTorch engine; wall time, throughput
 * (also as a fraction of the machine's memory copy bandwidth), peak memory and the largest
 * disagreement between them.
 */
@Command(name = "merger", mixinStandardHelpOptions = true, sortOptions = false,
        description = "TA, TIES, DARE-TIES on N experts: the merger's path vs TensorFlow engine (whole, chunked) vs plain Java vs"
                + " PyTorch engine; time, share of memory bandwidth, memory, agreement.")
public final class MergerBench extends Bench {
    static final List<String> METHODS = List.of("task_arithmetic", "ties", "dare_ties");

    @Option(names = "--experts", paramLabel = "N", description = "experts merged (default: ${DEFAULT-VALUE})")
    int experts = 8;
    @Option(names = "--params", paramLabel = "N", description = "parameters per model, in 4 tensors of 40/30/20/10%% (default:"
            + " ${DEFAULT-VALUE})")
    int params = 10_000_000;
    @Option(names = "--repetitions", paramLabel = "N", description = "measured merges per method and implementation, after one"
            + " warm-up (default: ${DEFAULT-VALUE})")
    int repetitions = 3;
    @Option(names = "--seed", paramLabel = "S", description = "seed of the weights and of DARE's masks (default: ${DEFAULT-VALUE})")
    long seed = 42;
    @Option(names = "--chunk", paramLabel = "N", description = "values per chunk of the streaming paths merger and tf_chunked (default: ${DEFAULT-VALUE})")
    int chunk = ChunkedTensorMerge.DEFAULT_CHUNK;

    @Override
    protected void validate() {
        positive("--experts", experts);
        if (params < 4) {
            throw new IllegalArgumentException("--params must be at least 4 (one value per tensor)");
        }
        positive("--repetitions", repetitions);
        positive("--chunk", chunk);
    }

    @Override
    protected Map<String, Object> measure(PrintStream out) throws Exception {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null && System.getenv("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        TensorFlowEngine tf = TensorFlowEngine.load();
        Engine pytorch = PyTorchRuntime.engine();
        Map<String, Object> engines = new LinkedHashMap<>();
        engines.put("tensorflow", tf.engine().getVersion() + " on " + tf.deviceName() + ", whole tensors (MergeMethod.merge)");
        engines.put("merger", "the path of upcycle merge and of plans: " + (tf.device().isGpu()
                ? tf.engine().getVersion() + " on " + tf.deviceName() : "fused plain-Java passes on " + ParallelRanges.threads()
                + " threads") + ", streamed in chunks of " + chunk + " values");
        engines.put("tf_chunked", tf.engine().getVersion() + " on " + tf.deviceName() + ", streamed in chunks of " + chunk
                + " values, every chunk on the engine");
        engines.put("pytorch", pytorch.getVersion() + " on " + pytorch.defaultDevice() + ", "
                + System.getProperty("ai.djl.pytorch.num_threads") + " threads");
        engines.put("java", "plain loops, 1 thread");
        engines.put("glibc_tunables", String.valueOf(System.getenv("GLIBC_TUNABLES")));
        out.println("engines: " + engines);
        double copyBytesPerSecond = MemoryBandwidth.copyBytesPerSecond();
        out.printf(Locale.ROOT, "memory copy: %.2f GB/s read on %d threads%n", copyBytesPerSecond / 1e9, ParallelRanges.threads());
        long start = System.nanoTime();
        List<MergerBenchmark.MethodResult> results = new ArrayList<>();
        MergerBenchData data;
        try (MergerBenchData written = MergerBenchData.write(UpcycleHome.resolve().resolve("bench"), experts, params, seed);
             NDManager tfManager = tf.engine().newBaseManager(tf.device()); NDManager ptManager = pytorch.newBaseManager()) {
            data = written;
            out.printf(Locale.ROOT, "data: base + %d experts x %,d parameters (%s, largest %,d values) in %s%n", experts, params,
                    written.tensors(), written.largestElements(), written.folder());
            MergeMethods methods = MergeMethods.defaults();
            for (String name : METHODS) {
                MergeMethod method = methods.get(name);
                MergeParameters parameters = method.resolve(new MergeParameters(1.0, seed, Map.of()));
                Map<String, MergerBenchmark.TensorMerge> implementations = new LinkedHashMap<>();
                implementations.put("tensorflow", MergerBenchmark.onEngine(tfManager, method, parameters));
                implementations.put("merger", MergerBenchmark.chunked(new ChunkedTensorMerge(tfManager, method, parameters, chunk)));
                implementations.put("tf_chunked", MergerBenchmark.chunked(ChunkedTensorMerge.onEngine(tfManager, method, parameters,
                        chunk)));
                implementations.put("java", MergerBenchmark.plainJava(name, parameters));
                implementations.put("pytorch", MergerBenchmark.onEngine(ptManager, method, parameters));
                results.add(MergerBenchmark.run(name, parameters, implementations, written, repetitions, out));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.print(MergerBenchReport.table(results, data, repetitions, copyBytesPerSecond));
        return MergerBenchReport.figures(results, data, repetitions, engines, copyBytesPerSecond, seconds);
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
    }
}
