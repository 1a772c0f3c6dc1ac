package io.upcycle.cli;

import io.upcycle.monitor.audit.LogFormat;
import io.upcycle.monitor.audit.TopicExporter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code upcycle export --out FILE [--runs a,b]}: copies the monitor's input topics and its recorded
 * stop decisions, with their schemas, into a file that {@code upcycle audit --from-file} replays offline.
 */
final class ExportCommand implements Command {
    private final PrintStream out;

    ExportCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "copy the recorded runs, losses, checkpoints, decisions and merge results (with schemas) to a file";
    }

    @Override
    public String help() {
        return """
                Usage: upcycle export --out FILE [--runs a,b] [--bootstrap-servers H:P --registry-url URL]

                Reads %s
                from their start to their current end (read_committed) and writes every record (topic,
                partition, offset, timestamp, key, value bytes as on the wire) and the writer schemas by id
                into FILE, which replays offline: upcycle audit --from-file FILE. Format: %s.

                  --out FILE                the file to write (replaced)
                  --runs a,b                only these runs (default: all); merge results are kept only with
                                            the full log
                """.formatted(String.join(", ", TopicExporter.TOPICS), LogFormat.class.getName()) + StackConnection.HELP;
    }

    @Override
    public int run(Args args) throws Exception {
        args.requireKnown(Set.of("out", "runs", StackConnection.BOOTSTRAP, StackConnection.REGISTRY));
        Path file = Path.of(args.get("out").orElseThrow(() -> new IllegalArgumentException("--out FILE is required")));
        long started = System.nanoTime();
        Map<String, Long> written = TopicExporter.export(StackConnection.from(args), file, StackConnection.runs(args));
        long total = written.values().stream().mapToLong(Long::longValue).sum();
        out.printf("exported %d records to %s in %d ms%n", total, file, (System.nanoTime() - started) / 1_000_000);
        written.forEach((topic, count) -> out.printf("  %-24s %d%n", topic, count));
        return 0;
    }
}
