package io.upcycle.cli.study;

import io.upcycle.files.FileTrees;
import io.upcycle.monitor.GroupProgress;
import io.upcycle.monitor.MonitorConfig;
import io.upcycle.monitor.MonitorService;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The monitor for one pass of a study, in OBSERVE or ENFORCE mode, under its own application id
 * whose group starts at the inputs' current end: it sees only the runs of its pass, never an
 * earlier pass's (an ENFORCE monitor replaying OBSERVE runs would emit decisions for them).
 */
final class MonitorPass implements AutoCloseable {
    private static final Duration START = Duration.ofMinutes(2);
    
    private final MonitorService monitor;
    private final Path stateDir;

    private MonitorPass(MonitorService monitor, Path stateDir) {
        this.monitor = monitor;
        this.stateDir = stateDir;
    }

    static MonitorPass start(KafkaConnection connection, String applicationId, String mode, StudyOptions options,
                             Path stateRoot, PrintStream progress) throws Exception {
        try (Admin admin = Admin.create(connection.adminProperties())) {
            GroupProgress group = new GroupProgress(admin, applicationId);
            group.startAtEnd(Topics.MONITOR_INPUTS);
        }
        Path stateDir = Files.createDirectories(stateRoot.resolve(applicationId));
        Map<String, String> values = new java.util.HashMap<>(connection.configValues());
        values.putAll(Map.of(
                "application.id", applicationId,
                "state.dir", stateDir.toString(),
                "decision.mode", mode,
                "policy.name", "learned-fraction",
                "policy.target.fraction", Double.toString(options.targetFraction()),
                "policy.loss.threshold", Double.toString(options.lossThreshold()),
                "http.port", "0"));
        MonitorService monitor = MonitorService.start(MonitorConfig.from(values));
        MonitorPass pass = new MonitorPass(monitor, stateDir);
        if (!monitor.awaitRunning(START)) {
            pass.close();
            throw new IllegalStateException("monitor " + applicationId + " did not reach RUNNING within " + START
                    + " (state " + monitor.state() + ")");
        }
        progress.println("      monitor " + mode + " running" + monitor.dashboardUrl().map(url -> ", dashboard " + url).orElse(""));
        return pass;
    }

    @Override
    public void close() {
        try {
            monitor.close();
        } finally {
            FileTrees.deleteQuietly(stateDir); // local state left behind is harmless; the next study uses another application id
        }
    }
}
