package io.upcycle.monitor.audit;

import io.upcycle.monitor.policy.PolicyParameters;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.StopDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code upcycle audit}: replays a recorded log through the monitor's topology and checks, per run,
 * that every recorded stop decision is made again with the same id, step, checkpoint and reason
 * (see {@link ReplayPlan} for the configuration each run is replayed under); with counterfactual
 * policy values, replays again under them and reports what the monitor would have decided.
 */
public final class Audit {
    private Audit() {
    }

    /** Audits the live topics: exports them to a temporary file, then audits that. */
    public static AuditReport fromTopics(KafkaConnection connection, Map<String, String> counterfactualPolicy, Set<String> runIds)
            throws IOException {
        Path file = Files.createTempFile("upcycle-audit", ".log");
        try {
            TopicExporter.export(connection, file, runIds);
            return fromFile(file, counterfactualPolicy, runIds);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Audits {@code file}.
     *
     * @param counterfactualPolicy {@code policy.*} values to replay under as well (empty: no counterfactual)
     * @param runIds the runs to audit (empty: all)
     */
    public static AuditReport fromFile(Path file, Map<String, String> counterfactualPolicy, Set<String> runIds) {
        LogIndex index = LogReader.scan(file);
        Map<String, List<StopDecision>> recorded = RecordedDecisions.read(file, index, runIds);
        Set<String> runs = new TreeSet<>(recorded.keySet());
        runs.addAll(runIdsOf(file, index, runIds));
        List<RunAudit> audits = new ArrayList<>();
        long records = 0;
        for (Map.Entry<Map<String, String>, Set<String>> group : ReplayPlan.groups(runs, recorded).entrySet()) {
            ReplayResult replay;
            try {
                replay = Replay.run(file, index, group.getKey());
            } catch (ConfigException | IllegalArgumentException e) {
                for (String run : group.getValue()) {
                    audits.add(new RunAudit(run, recorded.getOrDefault(run, List.of()), List.of(),
                            List.of("cannot replay under " + group.getKey() + ": " + e.getMessage()), false, -1, List.of(),
                            ReplayResult.DeadLetters.NONE));
                }
                continue;
            }
            records = Math.max(records, replay.records());
            ReplayResult alternative = counterfactualPolicy.isEmpty() ? null
                    : Replay.run(file, index, ReplayPlan.counterfactual(group.getKey(), counterfactualPolicy));
            for (String run : group.getValue()) {
                List<StopDecision> before = recorded.getOrDefault(run, List.of());
                List<StopDecision> again = replay.decisionsOf(run);
                audits.add(new RunAudit(run, before, again, mismatches(before, again), before.equals(again),
                        replay.lastSteps().getOrDefault(run, -1L),
                        alternative == null ? List.of() : alternative.decisionsOf(run),
                        replay.deadLettersByRun().getOrDefault(run, ReplayResult.DeadLetters.NONE)));
            }
        }
        audits.sort((a, b) -> a.runId().compareTo(b.runId()));
        long deadLetters = audits.stream().mapToLong(r -> r.deadLetters().count()).sum();
        return new AuditReport(List.copyOf(audits), records, deadLetters, new TreeMap<>(counterfactualPolicy));
    }

    /** What differs between the recorded and the replayed decisions, readable; empty when they agree. */
    static List<String> mismatches(List<StopDecision> recorded, List<StopDecision> replayed) {
        List<String> out = new ArrayList<>();
        if (recorded.size() != replayed.size()) {
            out.add(recorded.size() + " decision(s) recorded, " + replayed.size() + " replayed");
        }
        for (int i = 0; i < Math.min(recorded.size(), replayed.size()); i++) {
            StopDecision a = recorded.get(i);
            StopDecision b = replayed.get(i);
            String which = "decision " + a.getDecisionId() + ": ";
            compare(out, which + "decision id", a.getDecisionId(), b.getDecisionId());
            compare(out, which + "step", a.getDecidedAtStep(), b.getDecidedAtStep());
            compare(out, which + "checkpoint step", a.getCheckpointStep(), b.getCheckpointStep());
            compare(out, which + "checkpoint uri", a.getCheckpointUri(), b.getCheckpointUri());
            compare(out, which + "checkpoint sha256", a.getCheckpointSha256(), b.getCheckpointSha256());
            compare(out, which + "reason", a.getReason(), b.getReason());
            compare(out, which + "policy", a.getPolicy() + "-v" + a.getPolicyVersion(), b.getPolicy() + "-v" + b.getPolicyVersion());
            compare(out, which + "parameters", PolicyParameters.canonical(a.getParameters()), PolicyParameters.canonical(b.getParameters()));
            compare(out, which + "mode", a.getMode(), b.getMode());
        }
        return out;
    }

    private static void compare(List<String> out, String what, Object recorded, Object replayed) {
        if (!Objects.equals(recorded, replayed)) {
            out.add(what + " recorded " + recorded + ", replayed " + replayed);
        }
    }

    private static Set<String> runIdsOf(Path file, LogIndex index, Set<String> wanted) {
        Set<String> ids = new TreeSet<>();
        for (LogIndex.Section section : index.sectionsOf(Topics.RUNS)) {
            try (LogReader reader = LogReader.open(file, section)) {
                for (LoggedRecord r = reader.next(); r != null; r = reader.next()) {
                    if (r.key() != null && (wanted.isEmpty() || wanted.contains(r.keyText()))) {
                        ids.add(r.keyText());
                    }
                }
            }
        }
        return ids;
    }
}
