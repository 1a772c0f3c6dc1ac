package io.upcycle.cli.study;

import io.upcycle.monitor.MonitorConfigKeys;
import io.upcycle.monitor.audit.LogIndex;
import io.upcycle.monitor.audit.LogReader;
import io.upcycle.monitor.audit.Replay;
import io.upcycle.monitor.audit.ReplayResult;
import io.upcycle.monitor.audit.TopicExporter;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.avro.StopDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where other stop rules would have stopped a group's runs: the group's own log, exported from the
 * topics, replayed through the monitor's topology under each rule (the audit's counterfactual
 * machinery, {@link Replay}), in OBSERVE mode with the rule's default parameters. No extra
 * training: every rule is judged on the same runs. A run the rule never stopped gets its
 * end-of-run decision (its last checkpoint).
 */
final class RuleReplay {
    private RuleReplay() {
    }

    /** Per rule (a stop policy name), each run's first decision under it. */
    static Map<String, Map<String, StopDecision>> decisions(KafkaConnection connection, List<String> runIds, List<String> rules)
            throws IOException {
        Map<String, Map<String, StopDecision>> byRule = new LinkedHashMap<>();
        if (rules.isEmpty()) {
            return byRule;
        }
        Path file = Files.createTempFile("upcycle-study-rules", ".log");
        try {
            TopicExporter.export(connection, file, Set.copyOf(runIds));
            LogIndex index = LogReader.scan(file);
            for (String rule : rules) {
                ReplayResult replay = Replay.run(file, index,
                        Map.of(MonitorConfigKeys.POLICY_NAME, rule, MonitorConfigKeys.DECISION_MODE, "OBSERVE"));
                Map<String, StopDecision> first = new LinkedHashMap<>();
                for (String run : runIds) {
                    List<StopDecision> decisions = replay.decisionsOf(run);
                    if (decisions.isEmpty()) {
                        throw new IllegalStateException("replaying run " + run + " under rule " + rule + " made no decision ("
                                + replay.deadLettersByRun().getOrDefault(run, ReplayResult.DeadLetters.NONE) + ")");
                    }
                    first.put(run, decisions.get(0));
                }
                byRule.put(rule, first);
            }
            return byRule;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
