package io.upcycle.bench.monitor;

import io.upcycle.files.FileTrees;
import io.upcycle.monitor.GroupProgress;
import io.upcycle.monitor.MonitorConfig;
import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.MonitorService;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * One monitor of the benchmark, started fresh: its own application id, whose group starts at the
 * inputs' current end (so nothing sent before counts), its own local state folder and its
 * {@code state.store}. Closing it stops the monitor and deletes that folder; on a running stack its
 * internal topics (changelog) stay.
 */
final class BenchMonitor implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    final String store;
    final MonitorConfig config;
    final GroupProgress progress;
    final MonitorService service;
    private final Admin admin;
    private final Path state;

    private BenchMonitor(String store, MonitorConfig config, Admin admin, GroupProgress progress, MonitorService service,
                         Path state) {
        this.store = store;
        this.config = config;
        this.admin = admin;
        this.progress = progress;
        this.service = service;
        this.state = state;
    }

    /**
     * Starts a monitor of {@code store} as {@code applicationId}, its state under {@code state}, with
     * the user's {@code settings} besides (keys the bench sets itself win), and waits until it runs.
     */
    static BenchMonitor start(KafkaConnection connection, String applicationId, String store, Path state,
                              Map<String, String> settings, PrintStream out) throws Exception {
        Map<String, String> values = new HashMap<>(settings);
        values.putAll(connection.configValues());
        values.putAll(Map.of(MonitorConfigKeys.APPLICATION_ID, applicationId,
                MonitorConfigKeys.STATE_DIR, state.toString(), MonitorConfigKeys.HTTP_PORT, "-1",
                MonitorConfigKeys.STATE_STORE, store));
        MonitorConfig config = MonitorConfig.from(values);
        out.printf(Locale.ROOT, "monitor: state store %s, application id %s, exactly_once_v2, commit interval %d ms, policy %s %s%n",
                store, applicationId, config.commitIntervalMs(), config.policy().name(), config.policy().parameters());
        Admin admin = Admin.create(connection.adminProperties());
        GroupProgress progress = new GroupProgress(admin, applicationId);
        MonitorService service;
        try {
            progress.startAtEnd(Topics.MONITOR_INPUTS);
            service = MonitorService.start(config);
        } catch (Exception | Error e) {
            admin.close();
            throw e;
        }
        BenchMonitor monitor = new BenchMonitor(store, config, admin, progress, service, state);
        try {
            if (!service.awaitRunning(START_TIMEOUT)) {
                throw new IllegalStateException("the " + store + " monitor did not reach RUNNING within "
                        + START_TIMEOUT.toSeconds() + " s (state " + service.state() + ")");
            }
            return monitor;
        } catch (Exception | Error e) {
            monitor.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            service.close();
        } finally {
            admin.close();
            FileTrees.delete(state); // the monitor's local state is of no use after its measurement
        }
    }
}
