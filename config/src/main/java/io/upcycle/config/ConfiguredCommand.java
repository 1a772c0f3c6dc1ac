package io.upcycle.config;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command whose options are a service's configuration keys ({@link ConfigOptions}): subclasses
 * name the {@link ConfigSpec} and run on the parsed values. Build one with {@link #commandLine}.
 */
public abstract class ConfiguredCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    private Map<String, String> environment = System.getenv();

    /** The keys this command reads. */
    protected abstract ConfigSpec config();

    /** Runs on the configuration; returns the exit code. */
    protected abstract int run(ConfigValues values) throws Exception;

    @Override
    public final Integer call() throws Exception {
        return run(values());
    }

    /** The configuration the parsed command line, its file and the environment give. */
    public final ConfigValues values() {
        return ConfigOptions.parse(spec, config(), environment);
    }

    /** This command reading {@code environment} instead of the process's (tests). */
    public final ConfiguredCommand withEnvironment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /** The picocli command line of {@code command}, with an option per key. */
    public static CommandLine commandLine(ConfiguredCommand command) {
        CommandLine line = new CommandLine(command);
        ConfigOptions.addTo(line.getCommandSpec(), command.config());
        return line;
    }

    /** Parses {@code args} into {@code command}'s configuration without running it. */
    public static ConfigValues parse(ConfiguredCommand command, String... args) {
        commandLine(command).parseArgs(args);
        return command.values();
    }
}
