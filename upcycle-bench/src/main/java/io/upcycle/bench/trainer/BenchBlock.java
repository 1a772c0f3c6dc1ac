package io.upcycle.bench.trainer;

/**
 * One timed block of steps of the benchmark's interleaved run ({@link AlternatingEvents}).
 *
 * @param publish whether its events went to Kafka (else nowhere)
 * @param steps steps in it
 * @param wallNanos wall time of its steps
 * @param handOverNanos of that, the training thread's time handing events over
 * @param trainCpuNanos CPU time of the training thread during it
 * @param publishCpuNanos CPU time of the publishing threads (publisher, producer network thread) during it
 * @param processCpuNanos CPU time of the whole process during it (the broker's too when it runs in-process)
 */
public record BenchBlock(boolean publish, long steps, long wallNanos, long handOverNanos, long trainCpuNanos,
                         long publishCpuNanos, long processCpuNanos) {

    public double msPerStep() {
        return wallNanos / 1e6 / steps;
    }

    public double handOverMsPerStep() {
        return handOverNanos / 1e6 / steps;
    }

    public double trainCpuMsPerStep() {
        return trainCpuNanos / 1e6 / steps;
    }

    public double publishCpuMsPerStep() {
        return publishCpuNanos / 1e6 / steps;
    }

    public double processCpuMsPerStep() {
        return processCpuNanos / 1e6 / steps;
    }
}
