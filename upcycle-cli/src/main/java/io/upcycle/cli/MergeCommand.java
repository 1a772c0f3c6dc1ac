package io.upcycle.cli;

import io.upcycle.merger.MergerConfig;
import io.upcycle.merger.MergerMain;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** {@code upcycle merge}: waits for a plan's stop decisions, merges the experts, publishes the result. */
final class MergeCommand extends ServiceCommand {
    MergeCommand() {
        super("bootstrap.servers", "schema.registry.url");
    }

    @Override
    public String name() {
        return "merge";
    }

    @Override
    public String summary() {
        return "merge the experts of a plan once the monitor has stopped them (TensorFlow engine)";
    }

    @Override
    public String help() {
        return "Usage: upcycle merge --key=value ...\n\nKeys:\n" + MergerConfig.KEYS.stream()
                .map(key -> String.format("  --%-26s %s%s", key.name(), key.doc(),
                        key.defaultValue() == null ? " (required)" : " (default: " + key.defaultValue() + ")"))
                .collect(Collectors.joining("\n")) + "\n";
    }

    @Override
    Consumer<String[]> main() {
        return MergerMain::main;
    }
}
