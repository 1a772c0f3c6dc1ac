package io.upcycle.cli;

import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.MonitorService;
import java.util.function.Consumer;

/** {@code upcycle monitor}: runs the Kafka Streams monitor that emits stop decisions. */
final class MonitorCommand extends ServiceCommand {
    MonitorCommand() {
        super("bootstrap.servers", "schema.registry.url");
    }

    @Override
    public String name() {
        return "monitor";
    }

    @Override
    public String summary() {
        return "run the monitor (Kafka Streams): detect memorization, emit stop decisions";
    }

    @Override
    public String help() {
        return "Usage: upcycle monitor [--key=value ...]\n\n" + MonitorConfigKeys.describe();
    }

    @Override
    Consumer<String[]> main() {
        return args -> {
            try {
                MonitorService.main(args);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
