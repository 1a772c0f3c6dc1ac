package io.upcycle.bench;

import io.upcycle.bench.merger.MergerBench;
import io.upcycle.bench.monitor.MonitorBench;
import io.upcycle.bench.monitor.MonitorStateBench;
import io.upcycle.bench.trainer.TrainerBench;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code upcycle bench NAME}: the registry of benchmarks, one subcommand each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure a service; ends with one line of JSON.",
            "",
            "Prints the machine (cores, memory, JVM, OS), runs the benchmark, prints its report and ends with one line of JSON:"
                    + " {\"bench\":NAME,\"date\":...,\"machine\":{...},\"figures\":{...}}. upcycle bench NAME --help lists its options."},
        commandListHeading = "%nBenchmarks:%n")
public final class BenchCommand implements Callable<Integer> {
    /** Every benchmark, in the order the help lists them. */
    static final List<Supplier<Bench>> BENCHES = List.of(TrainerBench::new, MergerBench::new, MonitorBench::new,
            MonitorStateBench::new);

    @Spec
    CommandSpec spec;

    /** {@code upcycle bench} with every registered benchmark, printing to {@code out}. */
    public static CommandLine commandLine(PrintStream out) {
        return commandLine(BENCHES.stream().map(Supplier::get).toList(), out);
    }

    /** {@code upcycle bench} with {@code benches}, printing to {@code out}. */
    public static CommandLine commandLine(List<Bench> benches, PrintStream out) {
        CommandLine line = new CommandLine(new BenchCommand());
        benches.forEach(bench -> line.addSubcommand(new CommandLine(bench.printingTo(out))));
        return line;
    }

    /** {@code upcycle bench} alone: the list of benchmarks, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }
}
