package io.upcycle.bench.trainer;

/**
 * One measured training run of the benchmark.
 *
 * @param round the round (0-based)
 * @param publish whether events went to Kafka (true) or nowhere (false)
 * @param steps optimizer steps done
 * @param msPerStep wall milliseconds per step of the training loop
 * @param handOverMsPerStep milliseconds per step the loop spent building and handing over events
 * @param trainCpuMsPerStep CPU milliseconds of the training thread per step (whole run, set-up included)
 * @param publishCpuMsPerStep CPU milliseconds per step of the publisher and producer network threads
 * @param lossesPerSecond per-example losses produced per second of loop time
 * @param records records the broker acknowledged (0 without publishing)
 * @param bytes serialized bytes of those records
 * @param queueWaits hand-overs that waited on the full publishing queue
 * @param queueWaitMs total milliseconds of those waits
 * @param peakQueued most events queued at once
 * @param startUpMs milliseconds before the loop to make publishing ready: producer, topic metadata, schemas
 *                  and the stop-decision watcher (0 without publishing); a service pays it once per run
 * @param drainMs milliseconds from the end of the loop until every event was acknowledged
 * @param peakRssBytes resident set high-water mark during the run (process-wide, broker included)
 * @param peakHeapBytes JVM heap peak during the run
 */
public record BenchRun(int round, boolean publish, long steps, double msPerStep, double handOverMsPerStep,
                       double trainCpuMsPerStep, double publishCpuMsPerStep, double lossesPerSecond, long records,
                       long bytes, long queueWaits, double queueWaitMs, int peakQueued, double startUpMs, double drainMs,
                       long peakRssBytes, long peakHeapBytes) {
}
