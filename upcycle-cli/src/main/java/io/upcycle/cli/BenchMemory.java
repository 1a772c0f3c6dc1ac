package io.upcycle.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Peak memory of this process over one measurement, as the trainer bench takes it: the resident
 * set's high-water mark ({@code VmHWM} of {@code /proc/self/status}), reset by writing 5 to
 * {@code /proc/self/clear_refs}, and the JVM heap's peak use (the heap pools' peaks, reset through
 * their MX beans; garbage not yet collected counts too).
 */
final class BenchMemory {
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
    record Peak(long rssBytes, long rssAboveStartBytes, long heapBytes, boolean rssWasReset) {
    }

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    private long rssAtReset;
    private boolean rssReset;

    /** Collects garbage, then starts a new window. */
    void reset() {
        System.gc();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        try {
            Files.writeString(CLEAR_REFS, "5");
            rssReset = true;
        } catch (IOException | SecurityException e) {
            rssReset = false;
        }
        rssAtReset = kilobytes("VmRSS:") * 1024;
    }

    /** The peaks since the last {@link #reset()}. */
    Peak read() {
        long heap = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        long rss = kilobytes("VmHWM:") * 1024;
        return new Peak(rss, rss < 0 || rssAtReset < 0 ? -1 : Math.max(0, rss - rssAtReset), heap, rssReset);
    }

    private static long kilobytes(String field) {
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
