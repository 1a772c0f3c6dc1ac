package io.upcycle.monitor;

import io.upcycle.config.CommandLines;
import io.upcycle.config.ConfigSpec;
import io.upcycle.config.ConfigValues;
import io.upcycle.config.ConfiguredCommand;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;

/** {@code upcycle monitor}: runs the Kafka Streams monitor until stopped; every option is a key of {@link MonitorConfigKeys}. */
@Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the monitor (Kafka Streams): detect memorization, emit stop decisions, serve the dashboard.")
public final class MonitorCommand extends ConfiguredCommand {
    @Override
    protected ConfigSpec config() {
        return MonitorConfigKeys.SPEC;
    }

    @Override
    protected int run(ConfigValues values) throws InterruptedException {
        MonitorService service = MonitorService.start(MonitorConfig.from(values));
        service.dashboardUrlToPrint().ifPresent(url -> System.out.println("monitor dashboard: " + url));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "monitor-shutdown"));
        service.awaitStopped();
        return service.state() == KafkaStreams.State.ERROR ? 1 : 0;
    }

    /** The monitor in a JVM of its own. */
    public static void main(String[] args) {
        CommandLines.exit(new MonitorCommand(), args);
    }
}
