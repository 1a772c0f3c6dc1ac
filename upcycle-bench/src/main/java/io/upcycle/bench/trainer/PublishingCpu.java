package io.upcycle.bench.trainer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the threads that publish: the trainer's event publisher and the Kafka producer's
 * network thread. On a small machine they compete with training for cores, so their CPU time is
 * part of what publishing costs even when the training thread never waits for them.
 */
final class PublishingCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String[] PREFIXES = {"upcycle-event-publisher", "kafka-producer-network-thread"};

    /** CPU nanoseconds of the calling thread. */
    static long currentThread() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** CPU nanoseconds of the whole process so far (-1 where the JVM cannot tell). */
    static long process() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** CPU nanoseconds of the live publishing threads. */
    long total() {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && isPublishing(info.getThreadName())) {
                total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static boolean isPublishing(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
