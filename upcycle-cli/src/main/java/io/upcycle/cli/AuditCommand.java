package io.upcycle.cli;

import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.audit.Audit;
import io.upcycle.monitor.audit.AuditLogException;
import io.upcycle.monitor.audit.AuditReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code upcycle audit}: replays a recorded log (a file from {@code upcycle export}, or the live
 * topics) through the monitor's own topology, says per run whether each recorded stop decision is
 * reproduced and why it was taken, and with {@code --policy.<param> value} what the monitor would
 * have decided instead. Exits 1 when any decision is not reproduced.
 */
final class AuditCommand implements Command {
    private final PrintStream out;

    AuditCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String summary() {
        return "replay a recorded log: are the stop decisions reproduced, why, and what if (--policy.<param> v)";
    }

    @Override
    public String help() {
        return """
                Usage: upcycle audit [--from-file FILE | --bootstrap-servers H:P --registry-url URL]
                                     [--runs a,b] [--policy.<param> VALUE ...]

                Replays the recorded events in event-time order through the monitor's topology, each run under
                the policy, parameters and mode its recorded decision names, and reports per run whether every
                decision is made again (same id, step, checkpoint and reason), with its evidence: the policy,
                its parameters, the signal by step and the hardest examples. Exits 1 if any is not reproduced.

                  --from-file FILE          a file written by upcycle export (default: read the live topics)
                  --runs a,b                only these runs (default: all)
                  --policy.<param> VALUE    counterfactual: replay again with this policy value, e.g.
                                            --policy.targetFraction 0.9 or --policy.name learned-fraction
                """ + StackConnection.HELP;
    }

    @Override
    public int run(Args args) throws Exception {
        Map<String, String> policy = new TreeMap<>();
        Set<String> known = Set.of("from-file", "runs", StackConnection.BOOTSTRAP, StackConnection.REGISTRY);
        args.options().forEach((key, value) -> {
            if (key.startsWith(MonitorConfigKeys.POLICY_PREFIX)) {
                policy.put(key, value);
            } else if (!known.contains(key) && !key.equals("help")) {
                throw new IllegalArgumentException("unknown option --" + key + " (known: --from-file, --runs, --bootstrap-servers, "
                        + "--registry-url, --policy.<param>)");
            }
        });
        Set<String> runs = StackConnection.runs(args);
        AuditReport report;
        try {
            report = args.get("from-file").isPresent()
                    ? Audit.fromFile(Path.of(args.get("from-file").get()), policy, runs)
                    : Audit.fromTopics(StackConnection.from(args), policy, runs);
        } catch (AuditLogException | ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // a bad file or a bad --policy value: exit 2
        }
        out.print(AuditText.format(report));
        out.flush();
        return report.allReproduced() ? 0 : 1;
    }
}
