package io.upcycle.cli;

import io.upcycle.config.ConfigSpec;
import io.upcycle.merger.service.MergerConfig;
import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code upcycle keys}: every configuration key of every service as Markdown tables, generated from
 * the definitions; {@code --readme FILE} rewrites the file's tables between the markers
 * {@code <!-- keys:SERVICE -->} and {@code <!-- /keys:SERVICE -->} (the README's are kept in sync by a test).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Print every configuration key of every service (type, default, valid values, doc) as Markdown.")
public final class KeysCommand implements Callable<Integer> {
    /** Every service's keys, in the order the README lists them. */
    static final List<ConfigSpec> SPECS = List.of(TrainerConfig.SPEC, MonitorConfigKeys.SPEC, MergerConfig.SPEC);

    private final PrintStream out;

    @Option(names = "--readme", paramLabel = "FILE", description = "rewrite the tables of FILE between <!-- keys:SERVICE --> markers")
    Path readme;

    KeysCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        if (readme == null) {
            for (ConfigSpec spec : SPECS) {
                out.println("## " + spec.service());
                out.println();
                out.print(spec.markdown());
                out.println();
            }
            return 0;
        }
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Files.writeString(readme, withTables(text), StandardCharsets.UTF_8);
        out.println("rewrote the key tables of " + readme);
        return 0;
    }

    /** {@code text} with each service's table between its markers replaced by the generated one. */
    static String withTables(String text) {
        String result = text;
        for (ConfigSpec spec : SPECS) {
            String start = "<!-- keys:" + spec.service() + " -->\n";
            String end = "<!-- /keys:" + spec.service() + " -->";
            int from = result.indexOf(start);
            int to = result.indexOf(end);
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("no " + start.trim() + " ... " + end + " section to rewrite");
            }
            result = result.substring(0, from + start.length()) + spec.markdown() + result.substring(to);
        }
        return result;
    }
}
