package io.upcycle.cli;

import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.audit.Audit;
import io.upcycle.monitor.audit.AuditLogException;
import io.upcycle.monitor.audit.AuditReport;
import io.upcycle.schemas.KafkaConnectionOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code upcycle audit}: replays a recorded log (a file from {@code upcycle export}, or the live
 * topics) through the monitor's own topology, says per run whether each recorded stop decision is
 * reproduced and why it was taken, and with {@code --policy PARAM=VALUE} what the monitor would
 * have decided instead. Exits 1 when any decision is not reproduced.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a recorded log: are the stop decisions reproduced, why, and what if (--policy PARAM=VALUE).",
            "",
            "Replays the recorded events in event-time order through the monitor's topology, each run under the policy,"
                    + " parameters and mode its recorded decision names, and reports per run whether every decision is made again"
                    + " (same id, step, checkpoint and reason), with its evidence: the policy, its parameters, the signal by step"
                    + " and the hardest examples. Exits 1 if any is not reproduced."})
public final class AuditCommand implements Callable<Integer> {
    private final PrintStream out;

    @Option(names = "--from-file", paramLabel = "FILE", description = "a file written by upcycle export (default: read the live topics)")
    Path file;
    @Option(names = "--runs", split = ",", paramLabel = "a,b", description = "only these runs (default: all)")
    Set<String> runs = new LinkedHashSet<>();
    @Option(names = "--policy", paramLabel = "PARAM=VALUE", description = "counterfactual: replay again with this policy value, e.g."
            + " --policy target.fraction=0.9 or --policy name=plateau (the monitor's key policy.PARAM)")
    Map<String, String> policy = new TreeMap<>();
    @Mixin
    KafkaConnectionOptions stack;

    AuditCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> counterfactual = new TreeMap<>();
        policy.forEach((parameter, value) -> counterfactual.put(MonitorConfigKeys.POLICY_PREFIX + parameter, value));
        AuditReport report;
        try {
            report = file != null ? Audit.fromFile(file, counterfactual, runs) : Audit.fromTopics(stack.required(), counterfactual, runs);
        } catch (AuditLogException | ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // a bad file or a bad --policy value: exit 2
        }
        out.print(AuditText.format(report));
        out.flush();
        return report.allReproduced() ? 0 : 1;
    }
}
