package io.upcycle.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code upcycle bench NAME}: a registry of benchmarks. Each run prints the machine first, then the
 * benchmark's own report, and ends with ONE line of JSON holding the benchmark's name, the date,
 * the machine and its figures, so that scripts can collect results with {@code tail -n 1}.
 */
final class BenchCommand implements Command {
    private final Map<String, Bench> benches = new LinkedHashMap<>();
    private final PrintStream out;

    BenchCommand(List<Bench> benches, PrintStream out) {
        benches.forEach(bench -> this.benches.put(bench.name(), bench));
        this.out = out;
    }

    /** The registered benchmarks, printing to standard output. */
    static BenchCommand standard() {
        return new BenchCommand(List.of(new TrainerBench(), new MergerBench(), new MonitorBench()), System.out);
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure a service (" + String.join(", ", benches.keySet()) + "); ends with one line of JSON";
    }

    @Override
    public String help() {
        StringBuilder text = new StringBuilder("""
                Usage: upcycle bench NAME [OPTIONS]

                Prints the machine (cores, memory, JVM, OS), runs the benchmark, prints its report
                and ends with one line of JSON: {"bench":NAME,"date":...,"machine":{...},"figures":{...}}.

                Benchmarks:
                """);
        benches.values().forEach(b -> text.append(String.format("  %-9s %s%n", b.name(), b.summary())));
        benches.values().forEach(b -> text.append(String.format("%nOptions of '%s':%n%s", b.name(), b.options())));
        return text.toString();
    }

    @Override
    public int run(Args args) throws Exception {
        List<String> words = args.positional();
        if (words.isEmpty()) {
            out.println(help());
            return 2;
        }
        Bench bench = benches.get(words.get(0));
        if (bench == null) {
            throw new IllegalArgumentException("unknown benchmark '" + words.get(0) + "' (known: " + String.join(", ", benches.keySet()) + ")");
        }
        if (words.size() > 1) {
            throw new IllegalArgumentException("unexpected words after 'bench " + bench.name() + "': " + words.subList(1, words.size()));
        }
        args.requireKnown(bench.keys());
        bench.validate(args);
        Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Machine machine = Machine.current();
        out.println("upcycle bench " + bench.name() + " on " + date);
        List<Double> loadBefore = Machine.loadAverage();
        out.println(machine.describe());
        out.println("load average before: " + loadBefore + " (1, 5, 15 min; above the core count, timings are noisy)");
        Map<String, Object> figures = bench.run(args, out);
        List<Double> loadAfter = Machine.loadAverage();
        out.println("load average after: " + loadAfter);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", bench.name());
        line.put("date", date.toString());
        line.put("machine", machine.asMap());
        line.put("load_average_before", loadBefore);
        line.put("load_average_after", loadAfter);
        line.put("figures", figures);
        out.println(JsonLine.of(line));
        out.flush();
        return 0;
    }
}
