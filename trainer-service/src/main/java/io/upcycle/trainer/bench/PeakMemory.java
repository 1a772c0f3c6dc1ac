package io.upcycle.trainer.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Peak memory of this process between a {@link #reset()} and a {@link #read()}: the resident set
 * size high-water mark from {@code /proc/self/status} ({@code VmHWM}), reset by writing 5 to
 * {@code /proc/self/clear_refs} where the kernel allows it, and the JVM heap's peak (the sum of the
 * heap pools' peak usage, reset through their MX beans).
 */
final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /** Peak bytes; {@code rssBytes} is -1 where {@code /proc} is not readable. */
    record Peak(long rssBytes, long heapBytes, boolean rssWasReset) {
    }

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    private boolean rssReset;
    private long lifetimeRss = -1;

    /** Starts a new measurement window. */
    void reset() {
        lifetimeRss = Math.max(lifetimeRss, statusKilobytes("VmHWM:") * 1024);
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        try {
            Files.writeString(CLEAR_REFS, "5");
            rssReset = true;
        } catch (IOException | SecurityException e) {
            rssReset = false; // the peak then covers the whole process life
        }
    }

    /** The peaks since the last {@link #reset()}. */
    Peak read() {
        long heap = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return new Peak(statusKilobytes("VmHWM:") * 1024, heap, rssReset);
    }

    /** The resident set high-water mark over the process's whole life so far, resets included, in bytes (-1 if unknown). */
    long lifetimePeakRss() {
        long kb = statusKilobytes("VmHWM:");
        return Math.max(lifetimeRss, kb < 0 ? -1 : kb * 1024);
    }

    private static long statusKilobytes(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
