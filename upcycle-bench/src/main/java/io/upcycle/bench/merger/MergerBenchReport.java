package io.upcycle.bench.merger;

import io.upcycle.bench.trainer.PeakMemory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The merger benchmark's results as a console table and as JSON-ready figures. */
final class MergerBenchReport {
    /** Largest |difference| of merged values at which two implementations count as agreeing. */
    static final double AGREEMENT_TOLERANCE = 1e-6;
    private static final double MIB = 1024 * 1024;

    private MergerBenchReport() {
    }

    /** The memory target: (experts + 2) x the largest tensor, float32. */
    static long memoryTargetBytes(MergerBenchData data) {
        return (data.experts().size() + 2L) * data.largestElements() * 4L;
    }

    static String table(List<MergerBenchmark.MethodResult> results, MergerBenchData data, int repetitions, double copyBytesPerSecond) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%n%d experts x %,d parameters (%.0f MiB of expert data per merge), median of %d "
                        + "after a warm-up; memory target (experts + 2) x largest tensor = %.0f MiB%n", data.experts().size(),
                data.params(), data.expertBytes() / MIB, repetitions, memoryTargetBytes(data) / MIB));
        t.append(String.format(Locale.ROOT, "memory copy %.2f GB/s read; 'of copy' is a path's GB/s of expert data over it%n",
                copyBytesPerSecond / 1e9));
        t.append(String.format(Locale.ROOT, "%-16s %-11s %10s %8s %8s %14s %16s %14s%n", "method", "engine", "median s", "GB/s",
                "of copy", "peak RSS MiB", "RSS above MiB", "peak heap MiB"));
        for (MergerBenchmark.MethodResult r : results) {
            for (MergerBenchmark.Measurement m : r.measurements().values()) {
                double median = m.medianSeconds();
                double bytesPerSecond = data.expertBytes() / median;
                t.append(String.format(Locale.ROOT, "%-16s %-11s %10.3f %8.2f %7.0f%% %14.0f %16.0f %14.0f%n", r.method(),
                        m.implementation(), median, bytesPerSecond / 1e9, 100 * bytesPerSecond / copyBytesPerSecond,
                        m.max(PeakMemory.Peak::rssBytes) / MIB,
                        m.max(PeakMemory.Peak::rssAboveStartBytes) / MIB, m.max(PeakMemory.Peak::heapBytes) / MIB));
            }
            t.append(String.format(Locale.ROOT, "%-16s max |diff| %s: %s%n", "", r.maxAbsDiff(),
                    agree(r) ? "agree" : "DISAGREE (tolerance " + AGREEMENT_TOLERANCE + ")"));
        }
        return t.toString();
    }

    static Map<String, Object> figures(List<MergerBenchmark.MethodResult> results, MergerBenchData data, int repetitions,
                                       Map<String, Object> engines, double copyBytesPerSecond, double seconds) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("experts", data.experts().size());
        f.put("params", data.params());
        f.put("tensors", data.tensors().size());
        f.put("largest_tensor_elements", data.largestElements());
        f.put("expert_bytes", data.expertBytes());
        f.put("repetitions", repetitions);
        f.put("engines", engines);
        f.put("memory_copy_bytes_per_second", copyBytesPerSecond);
        f.put("memory_target_bytes", memoryTargetBytes(data));
        f.put("agreement_tolerance", AGREEMENT_TOLERANCE);
        Map<String, Object> methods = new LinkedHashMap<>();
        for (MergerBenchmark.MethodResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("parameters", r.parameters().asStrings());
            m.put("max_abs_diff", r.maxAbsDiff());
            m.put("agree", agree(r));
            Map<String, Object> implementations = new LinkedHashMap<>();
            for (MergerBenchmark.Measurement measurement : r.measurements().values()) {
                implementations.put(measurement.implementation(), measurement(measurement, data, copyBytesPerSecond));
            }
            m.put("implementations", implementations);
            methods.put(r.method(), m);
        }
        f.put("methods", methods);
        f.put("all_agree", results.stream().allMatch(MergerBenchReport::agree));
        f.put("seconds", seconds);
        return f;
    }

    static boolean agree(MergerBenchmark.MethodResult r) {
        return r.maxAbsDiff().values().stream().allMatch(diff -> diff <= AGREEMENT_TOLERANCE);
    }

    private static Map<String, Object> measurement(MergerBenchmark.Measurement m, MergerBenchData data, double copyBytesPerSecond) {
        Map<String, Object> i = new LinkedHashMap<>();
        double median = m.medianSeconds();
        i.put("median_seconds", median);
        i.put("seconds", m.seconds());
        i.put("gb_per_second", data.expertBytes() / median / 1e9);
        i.put("fraction_of_memory_copy", data.expertBytes() / median / copyBytesPerSecond);
        i.put("peak_rss_bytes", m.max(PeakMemory.Peak::rssBytes));
        i.put("peak_rss_above_start_bytes", m.max(PeakMemory.Peak::rssAboveStartBytes));
        i.put("peak_heap_bytes", m.max(PeakMemory.Peak::heapBytes));
        i.put("rss_reset", m.peaks().stream().allMatch(PeakMemory.Peak::rssWasReset));
        return i;
    }
}
