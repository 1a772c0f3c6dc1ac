package io.upcycle.bench.monitor;

import io.upcycle.bench.Bench;
import io.upcycle.monitor.MonitorConfig;
import io.upcycle.monitor.MonitorTopology;
import io.upcycle.monitor.state.ExampleStore;
import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.state.RunStateSerde;
import io.upcycle.monitor.tracking.RunTracker;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.trainer.events.PrimitiveLists;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upcycle bench monitor-state}: the monitor's own work per losses record, without Kafka. Per
 * record, what {@code RunMonitorProcessor} does between the decoder and the stores: the run's
 * tracker applies the record and assesses the run, {@link ExampleStore#save} encodes a snapshot
 * into a map when one is due (since 2026-12-07 evening nothing else: the records are replayed), and the run's entry is serialized. Kafka Streams' record cache, RocksDB,
 * the changelog and the broker are left out: on a shared 2-core VM their noise hides differences
 * of 20% in the end-to-end bench, and this one isolates the part that is ours. Run sizes alternate
 * within each round (order reversed in even rounds) and each is compared with the first, round by
 * round. The runs interleave as in {@link SyntheticStream}: each walks its own shuffled epochs.
 */
@Command(name = "monitor-state", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The monitor's per-record work without Kafka (apply, assess, encode the example snapshot when due and the run's"
                + " entry): ns per loss by run size, side by side.")
public final class MonitorStateBench extends Bench {
    @Option(names = "--examples", split = ",", paramLabel = "N,M", description = "examples per run, measured side by side,"
            + " each against the first (default: 8192,1000000)")
    List<Integer> examples = List.of(8192, 1_000_000);
    @Option(names = "--runs", paramLabel = "N", description = "runs interleaved (default: ${DEFAULT-VALUE})")
    int runs = 4;
    @Option(names = "--batch", paramLabel = "N", description = "examples per losses record (default: ${DEFAULT-VALUE})")
    int batch = 64;
    @Option(names = "--losses", paramLabel = "N", converter = MonitorBench.Underscored.class,
            description = "losses per measured stream (default: ${DEFAULT-VALUE})")
    long losses = 16_000_000;
    @Option(names = "--rounds", paramLabel = "N", description = "measured rounds, after one warm-up (default: ${DEFAULT-VALUE})")
    int rounds = 5;
    @Option(names = "--seed", paramLabel = "S", description = "seed of the synthetic losses (default: ${DEFAULT-VALUE})")
    long seed = MonitorBenchmarkOptions.DEFAULT_SEED;

    /** Distinct payloads per run, as in {@link SyntheticStream}. */
    private static final int TEMPLATES = 16;

    @Override
    protected void validate() {
        if (examples.isEmpty() || examples.stream().anyMatch(n -> n < batch)) {
            throw new IllegalArgumentException("--examples: each size must be at least --batch (" + batch + "), got " + examples);
        }
        if (runs < 1 || batch < 1 || rounds < 1) {
            throw new IllegalArgumentException("--runs, --batch and --rounds must be at least 1");
        }
        if (losses < (long) runs * batch) {
            throw new IllegalArgumentException("--losses must be at least --runs x --batch (" + (long) runs * batch + ")");
        }
    }

    @Override
    protected Map<String, Object> measure(PrintStream out) {
        RunTracker tracker = MonitorTopology.tracker(MonitorConfig.defaults("127.0.0.1:1", "http://127.0.0.1:1"));
        Map<Integer, List<Measured>> bySize = new LinkedHashMap<>();
        examples.forEach(n -> bySize.put(n, new ArrayList<>()));
        for (int round = 0; round <= rounds; round++) {
            List<Integer> order = new ArrayList<>(examples);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (int n : order) {
                Measured s = stream(tracker, n, round);
                out.printf(Locale.ROOT, "%-8s %,11d examples x %d runs: %,d losses in %.2f s, %.0f ns/loss, %.2f B/loss encoded%n",
                        round == 0 ? "warm-up" : "round " + round, n, runs, s.losses, s.nanos / 1e9, s.nanosPerLoss(),
                        s.bytesPerLoss());
                if (round > 0) {
                    bySize.get(n).add(s);
                }
            }
        }
        return report(bySize, out);
    }

    private Map<String, Object> report(Map<Integer, List<Measured>> bySize, PrintStream out) {
        int first = examples.get(0);
        out.printf(Locale.ROOT, "%nthe monitor's work per losses record, without Kafka (%d runs, batch %d, median of %d rounds;"
                + " ratio: losses/s over the first size's, as the end-to-end bench gives it; encoded: bytes of snapshots"
                + " and run entries per loss, before any cache):%n", runs, batch, rounds);
        out.printf(Locale.ROOT, "%12s %10s %12s %8s %44s %10s%n", "examples", "ns/loss", "losses/s", "ratio",
                "round-by-round ratio, median", "B/loss");
        Map<String, Object> sizes = new LinkedHashMap<>();
        double firstMedian = median(bySize.get(first), Measured::nanosPerLoss);
        for (Map.Entry<Integer, List<Measured>> e : bySize.entrySet()) {
            double ns = median(e.getValue(), Measured::nanosPerLoss);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                ratios.add(bySize.get(first).get(i).nanosPerLoss() / e.getValue().get(i).nanosPerLoss());
            }
            double bytes = median(e.getValue(), Measured::bytesPerLoss);
            out.printf(Locale.ROOT, "%,12d %10.0f %,12.0f %8.2f %44s %10.2f%n", e.getKey(), ns, 1e9 / ns, firstMedian / ns,
                    e.getKey() == first ? "" : String.format(Locale.ROOT, "%.2f (%s)", MonitorBenchReport.median(ratios),
                            String.join(", ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList())),
                    bytes);
            Map<String, Object> size = new LinkedHashMap<>();
            size.put("ns_per_loss", ns);
            size.put("losses_per_second", 1e9 / ns);
            size.put("ratio_to_first_size", firstMedian / ns);
            size.put("round_ratios_to_first_size", ratios);
            size.put("median_round_ratio", MonitorBenchReport.median(ratios));
            size.put("encoded_bytes_per_loss", bytes);
            size.put("rounds_ns_per_loss", e.getValue().stream().map(Measured::nanosPerLoss).toList());
            sizes.put("examples_" + e.getKey(), size);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("runs", runs);
        figures.put("batch", batch);
        figures.put("losses_per_stream", losses);
        figures.put("rounds", rounds);
        figures.put("by_run_size", sizes);
        return figures;
    }

    private static double median(List<Measured> streams, ToDoubleFunction<Measured> value) {
        return MonitorBenchReport.median(streams.stream().mapToDouble(value).toArray());
    }

    /** One measured stream: {@code losses} losses of {@code runs} runs of {@code n} examples, applied and encoded. */
    Measured stream(RunTracker tracker, int n, int round) {
        long steps = losses / runs / batch;
        Random random = new Random(seed + round);
        String[] ids = new String[runs];
        RunState[] states = new RunState[runs];
        ExampleLosses[][] templates = new ExampleLosses[runs][TEMPLATES];
        SyntheticStream.EpochOrder[] orders = new SyntheticStream.EpochOrder[runs];
        long t0 = 1_000_000L;
        for (int r = 0; r < runs; r++) {
            ids[r] = String.format(Locale.ROOT, "state-bench-e%d-r%d-%d", n, round, r);
            states[r] = tracker.apply(ids[r], null, SyntheticStream.started(ids[r], n, seed), t0).state();
            for (int t = 0; t < TEMPLATES; t++) {
                templates[r][t] = template(ids[r], random);
            }
            orders[r] = new SyntheticStream.EpochOrder(n, new Random(seed + 1 + r));
        }
        // the ids of every record, drawn before the clock starts
        int[][] batches = new int[(int) (steps * runs)][];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = new int[batch];
            orders[i % runs].next(batches[i]);
        }
        Map<String, byte[]> entries = new HashMap<>();
        long[] written = {0};
        ExampleStore.Entries store = ExampleStore.Entries.of(entries::get, (key, value) -> {
            written[0] += value.length;
            entries.put(key, value);
        });
        RunStateSerde serde = new RunStateSerde();
        long start = System.nanoTime();
        for (long s = 1; s <= steps; s++) {
            for (int r = 0; r < runs; r++) {
                ExampleLosses record = templates[r][(int) (s % TEMPLATES)];
                record.setStep(s);
                record.setExampleIds(PrimitiveLists.ints(batches[(int) ((s - 1) * runs + r)]));
                RunState state = tracker.apply(ids[r], states[r], record, t0 + s).state();
                state.lossesApplied(s); // as the monitor names the record's input offset
                ExampleStore.save(state, store);
                written[0] += serde.serialize(null, state).length;
                states[r] = state;
            }
        }
        long nanos = System.nanoTime() - start;
        for (RunState state : states) {
            if (state.stepsObserved() != steps) {
                throw new IllegalStateException("run " + state.runId() + " applied " + state.stepsObserved() + " of " + steps + " steps");
            }
        }
        return new Measured(steps * runs * batch, nanos, written[0]);
    }

    private ExampleLosses template(String run, Random random) {
        List<Float> lossValues = new ArrayList<>(batch);
        List<Float> el2n = new ArrayList<>(batch);
        List<Boolean> correct = new ArrayList<>(batch);
        for (int j = 0; j < batch; j++) {
            lossValues.add(0.2f + 2f * random.nextFloat()); // nothing is ever learned: no run is decided
            el2n.add(1.4f * random.nextFloat());
            correct.add(random.nextBoolean());
        }
        return ExampleLosses.newBuilder().setRunId(run).setStep(0).setExampleIds(List.of()).setLosses(lossValues)
                .setEl2n(el2n).setCorrect(correct).build();
    }

    /** One measured stream: its losses, the nanoseconds they took, and the bytes their records encoded. */
    record Measured(long losses, long nanos, long written) {
        double nanosPerLoss() {
            return (double) nanos / losses;
        }

        double bytesPerLoss() {
            return (double) written / losses;
        }
    }
}
