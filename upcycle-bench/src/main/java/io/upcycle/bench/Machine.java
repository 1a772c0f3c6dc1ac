package io.upcycle.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine a benchmark ran on: CPU model and cores, memory, JVM and OS. Benchmark numbers
 * mean little without it.
 *
 * @param cores processors available to the JVM
 * @param cpu the CPU model from {@code /proc/cpuinfo} ("unknown" elsewhere)
 * @param memoryBytes physical memory
 * @param jvm JVM name, vendor and version
 * @param maxHeapBytes the JVM's heap limit
 * @param os OS name, version and architecture
 */
record Machine(int cores, String cpu, long memoryBytes, String jvm, long maxHeapBytes, String os) {

    /** This machine. */
    static Machine current() {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memory,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vm.vendor") + ")",
                Runtime.getRuntime().maxMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    /** One line for the top of a report. */
    String describe() {
        return String.format(Locale.ROOT, "machine: %d cores (%s), %.1f GiB memory; JVM %s, heap limit %.1f GiB; OS %s",
                cores, cpu, memoryBytes / 1073741824.0, jvm, maxHeapBytes / 1073741824.0, os);
    }

    /** The same as JSON-ready values. */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cores", cores);
        map.put("cpu", cpu);
        map.put("memory_bytes", memoryBytes);
        map.put("jvm", jvm);
        map.put("max_heap_bytes", maxHeapBytes);
        map.put("os", os);
        return map;
    }

    /** The 1-, 5- and 15-minute load averages from {@code /proc/loadavg} (empty elsewhere): how busy the machine was. */
    static List<Double> loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", -1);
            return List.of(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
