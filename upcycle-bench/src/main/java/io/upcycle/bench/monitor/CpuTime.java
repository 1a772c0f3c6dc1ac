package io.upcycle.bench.monitor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time used so far by this process (the bench's producer, the broker and the monitor: all but the
 * registry, a child process idle during a stream) and by the monitor's stream threads alone. The
 * difference over a stream is what it cost in work, and which part of it the monitor's own thread
 * did. On a virtual machine that does not report stolen time, time its host takes away is counted
 * too, so these figures are no steadier than the stream's rate there.
 *
 * @param processNanos this process's CPU time
 * @param streamThreadNanos the CPU time of the live Kafka Streams stream threads
 */
record CpuTime(long processNanos, long streamThreadNanos) {
    static CpuTime now() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long streamThreads = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && isStreamThread(thread.getThreadName())) {
                streamThreads += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new CpuTime(os.getProcessCpuTime(), streamThreads);
    }

    /** A stream thread of Kafka Streams ({@code <app>-<uuid>-StreamThread-N}), not one of its clients' network threads. */
    static boolean isStreamThread(String name) {
        return name.contains("-StreamThread-") && !name.startsWith("kafka-");
    }

    CpuTime since(CpuTime earlier) {
        return new CpuTime(processNanos - earlier.processNanos, streamThreadNanos - earlier.streamThreadNanos);
    }
}
