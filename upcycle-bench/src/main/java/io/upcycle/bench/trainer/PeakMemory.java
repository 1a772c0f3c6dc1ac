package io.upcycle.bench.trainer;

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
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /**
     * Peaks in bytes (-1 where {@code /proc} is unreadable).
     *
     * @param rssBytes the resident set's peak
     * @param rssAboveStartBytes that peak minus the resident set at the reset: what the measured work added
     * @param heapBytes the heap's peak use
     * @param rssWasReset false where the kernel refused the reset, so the peak spans the process's life
     */
    public record Peak(long rssBytes, long rssAboveStartBytes, long heapBytes, boolean rssWasReset) {
    }

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    private boolean rssReset;
    private long rssAtReset = -1;
    private long lifetimeRss = -1;

    /** Collects garbage, then starts a new measurement window. */
    public void reset() {
        lifetimeRss = Math.max(lifetimeRss, statusKilobytes("VmHWM:") * 1024);
        System.gc();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        try {
            Files.writeString(CLEAR_REFS, "5");
            rssReset = true;
        } catch (IOException | SecurityException e) {
            rssReset = false; // the peak then covers the whole process life
        }
        rssAtReset = statusKilobytes("VmRSS:") * 1024;
    }

    /** The peaks since the last {@link #reset()}. */
    public Peak read() {
        long heap = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        long rss = statusKilobytes("VmHWM:") * 1024;
        return new Peak(rss, rss < 0 || rssAtReset < 0 ? -1 : Math.max(0, rss - rssAtReset), heap, rssReset);
    }

    /** The resident set high-water mark over the process's whole life so far, resets included, in bytes (-1 if unknown). */
    public long lifetimePeakRss() {
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
