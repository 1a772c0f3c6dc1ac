package io.upcycle.config;

import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;

/**
 * How every Upcycle command line reports a failure: a bad option, key or value prints one line
 * naming it and exits 2 (picocli adds "did you mean" for a mistyped option); anything else prints
 * its stack trace and exits 1.
 */
public final class CommandLines {
    /** Exit code of a refused command line or configuration. */
    public static final int USAGE = 2;

    private CommandLines() {
    }

    /** {@code line} with the house's error handling and case-sensitive, abbreviation-free options. */
    public static CommandLine standard(CommandLine line) {
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                failed.getErr().println(failed.getCommandName() + ": " + e.getMessage());
                return USAGE;
            }
            failed.getErr().println(failed.getCommandName() + ": failed: " + e);
            e.printStackTrace(failed.getErr());
            return 1;
        });
        return line;
    }

    /**
     * Runs the (sub)command {@code args} select on {@code line}, letting a bad option or any failure
     * through as its exception instead of printing it (tests, and programs that embed a command).
     */
    public static int call(CommandLine line, String... args) throws Exception {
        CommandLine.ParseResult parsed = line.parseArgs(args);
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        if (parsed.isUsageHelpRequested()) {
            parsed.commandSpec().commandLine().usage(parsed.commandSpec().commandLine().getOut());
            return 0;
        }
        Object command = parsed.commandSpec().userObject();
        if (command instanceof Callable<?> callable) {
            return (Integer) callable.call();
        }
        throw new IllegalArgumentException("'" + String.join(" ", args) + "' names no command that runs");
    }

    /** Runs {@code command} on {@code args} and exits the JVM with its code (a service's own {@code main}). */
    public static void exit(ConfiguredCommand command, String... args) {
        System.exit(standard(ConfiguredCommand.commandLine(command)).execute(args));
    }
}
