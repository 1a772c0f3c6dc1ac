package io.upcycle.cli;

import io.upcycle.monitor.audit.TopicExporter;
import io.upcycle.schemas.KafkaConnectionOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code upcycle export --out FILE [--runs a,b]}: copies the monitor's input topics and its recorded
 * stop decisions, with their schemas, into a file that {@code upcycle audit --from-file} replays offline.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copy the recorded runs, losses, checkpoints, decisions and merge results (with schemas) to a file.",
            "",
            "Reads the Upcycle topics from their start to their current end (read_committed) and writes every record (topic,"
                    + " partition, offset, timestamp, key, value bytes as on the wire) and the writer schemas by id into FILE,"
                    + " which replays offline: upcycle audit --from-file FILE. Format: io.upcycle.monitor.audit.LogFormat."})
public final class ExportCommand implements Callable<Integer> {
    private final PrintStream out;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the file to write (replaced)")
    Path file;
    @Option(names = "--runs", split = ",", paramLabel = "a,b", description = "only these runs (default: all); merge results are"
            + " kept only with the full log")
    Set<String> runs = new LinkedHashSet<>();
    @Mixin
    KafkaConnectionOptions stack;

    ExportCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Map<String, Long> written = TopicExporter.export(stack.required(), file, runs);
        long total = written.values().stream().mapToLong(Long::longValue).sum();
        out.printf("exported %d records to %s in %d ms%n", total, file, (System.nanoTime() - started) / 1_000_000);
        written.forEach((topic, count) -> out.printf("  %-24s %d%n", topic, count));
        return 0;
    }
}
