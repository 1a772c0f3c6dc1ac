package io.upcycle.bench.monitor;

import io.upcycle.monitor.GroupProgress;
import io.upcycle.schemas.EventProducer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.FineTuneMode;
import io.upcycle.schemas.avro.RunEvent;
import io.upcycle.schemas.avro.RunStarted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Stop latency: {@code warmup + n} runs of 100 examples learn 10 more examples per step; step 10
 * brings the learned fraction to 0.98, past the default policy's 0.97 after its 10 minimum steps,
 * so step 10 decides every run. Steps 1-9 of all runs are published and processed first; then each
 * run's step 10 is sent alone, {@code spacingMs} apart, through a producer configured like the
 * trainer's (its 25 ms linger included), and the latency is from the send to the
 * {@link DecisionWatcher} reading the decision. The first {@code warmup} runs are kept apart from
 * the measured ones: a fresh monitor's first decisions pay its one-time costs (code not yet
 * compiled, the first transactions and registry lookups), which the trainer of a running monitor
 * does not meet.
 */
final class StopLatency {
    static final int EXAMPLES = 100;
    static final long TRIGGER_STEP = 10;

    private StopLatency() {
    }

    static LatencyResult measure(KafkaConnection connection, Topics topics, GroupProgress progress, String prefix, int warmup,
                                 int measured, int spacingMs, long t0) throws Exception {
        int n = warmup + measured;
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(String.format(Locale.ROOT, "%s-latency-%03d", prefix, i));
        }
        long[] sentAt = new long[n];
        try (EventProducer producer = new EventProducer(connection);
             DecisionWatcher watcher = new DecisionWatcher(connection, topics.stopDecisions())) {
            for (String run : runs) {
                producer.send(topics.runs(), run, started(run), t0);
            }
            producer.flush();
            for (long step = 1; step < TRIGGER_STEP; step++) {
                for (String run : runs) {
                    producer.send(topics.exampleLosses(), run, losses(run, step), t0 + step);
                }
            }
            producer.flush();
            progress.awaitCommitted(progress.ends(List.of(Topics.RUNS, Topics.EXAMPLE_LOSSES)), Duration.ofMinutes(5));
            for (int i = 0; i < n; i++) {
                ExampleLosses trigger = losses(runs.get(i), TRIGGER_STEP);
                Thread.sleep(spacingMs);
                sentAt[i] = System.nanoTime();
                producer.send(topics.exampleLosses(), runs.get(i), trigger, t0 + TRIGGER_STEP);
            }
            producer.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && runs.stream().anyMatch(run -> watcher.seenAt(run) == null)) {
                Thread.sleep(10);
            }
            double[] samples = new double[measured];
            double[] warmupSamples = new double[warmup];
            int k = 0;
            int w = 0;
            for (int i = 0; i < n; i++) {
                Long seen = watcher.seenAt(runs.get(i));
                if (seen != null) {
                    if (watcher.decision(runs.get(i)).getDecidedAtStep() != TRIGGER_STEP) {
                        throw new IllegalStateException("run " + runs.get(i) + " was decided at step "
                                + watcher.decision(runs.get(i)).getDecidedAtStep() + ", not " + TRIGGER_STEP);
                    }
                    double millis = (seen - sentAt[i]) / 1e6;
                    if (i < warmup) {
                        warmupSamples[w++] = millis;
                    } else {
                        samples[k++] = millis;
                    }
                }
            }
            return new LatencyResult(Arrays.copyOf(samples, k), measured, Arrays.copyOf(warmupSamples, w), 0, 0);
        }
    }

    private static RunEvent started(String run) {
        return RunEvent.newBuilder().setEvent(RunStarted.newBuilder().setRunId(run).setTask("bench").setBaseModelId("bench")
                .setBaseModelSha256(SyntheticStream.sha256(0)).setMode(FineTuneMode.FULL).setSeed(1)
                .setDatasetFingerprint(SyntheticStream.sha256(1)).setExampleCount(EXAMPLES).setClassCount(8).build()).build();
    }

    /** Every example's loss at {@code step}: the first {@code min(98, 10 * step)} learned (0.05), the rest 1. */
    private static ExampleLosses losses(String run, long step) {
        List<Integer> ids = new ArrayList<>(EXAMPLES);
        List<Float> values = new ArrayList<>(EXAMPLES);
        long learned = Math.min(98, 10 * step);
        for (int id = 0; id < EXAMPLES; id++) {
            ids.add(id);
            values.add(id < learned ? 0.05f : 1f);
        }
        return ExampleLosses.newBuilder().setRunId(run).setStep(step).setExampleIds(ids).setLosses(values).build();
    }
}
