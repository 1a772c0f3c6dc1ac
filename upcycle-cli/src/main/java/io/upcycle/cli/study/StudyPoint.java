package io.upcycle.cli.study;

import io.upcycle.cli.report.StudyTags;
import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.StopDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where along training a study merges its experts: at each task's own stop under the live rule
 * ({@code auto}, the monitor's decisions), at each task's own stop under a replayed rule
 * ({@code rule}, {@link RuleReplay}), or at one fixed length for every task. Pure: decisions and
 * checkpoint events in, the checkpoints to merge out.
 *
 * @param name {@code auto}, {@code rule} or {@code length}
 * @param length the fixed length, 0 for a stop point
 * @param rule the replayed rule's policy name, null otherwise
 */
record StudyPoint(String name, long length, String rule) {
    static final String AUTO = StudyTags.POINT_AUTO;
    static final String RULE = StudyTags.POINT_RULE;
    static final String LENGTH = "length";

    static StudyPoint auto() {
        return new StudyPoint(AUTO, 0, null);
    }

    static StudyPoint rule(String policy) {
        return new StudyPoint(RULE, 0, policy);
    }

    static StudyPoint length(long steps) {
        return new StudyPoint(LENGTH, steps, null);
    }

    /** {@code auto}, {@code rule-plateau} or {@code len-256}: for plan ids and progress lines. */
    String label() {
        return name.equals(RULE) ? "rule-" + rule : length == 0 ? AUTO : "len-" + length;
    }

    /** Whether each task merges where a stop decision put it (not at a fixed length). */
    boolean isStop() {
        return length == 0;
    }

    /** The decisions this point merges at: the live ones for {@code auto}, the replayed rule's for {@code rule}. */
    Map<String, StopDecision> decisions(Map<String, StopDecision> live, Map<String, Map<String, StopDecision>> replayed) {
        return name.equals(RULE) ? replayed.getOrDefault(rule, Map.of()) : live;
    }

    /**
     * The checkpoint of each run at this point, in run order; empty when a run has none (a decision
     * that names no checkpoint, or a length the run never reached).
     */
    Optional<List<ExpertCheckpoint>> experts(List<String> runIds, Map<String, String> taskOf, Map<String, StopDecision> decisions,
                                             Map<String, NavigableMap<Long, CheckpointSaved>> checkpoints) {
        List<ExpertCheckpoint> experts = new ArrayList<>();
        for (String run : runIds) {
            if (isStop()) {
                StopDecision decision = decisions.get(run);
                if (decision == null || decision.getCheckpointUri() == null) {
                    return Optional.empty();
                }
                experts.add(ExpertCheckpoint.from(decision));
            } else {
                CheckpointSaved saved = checkpoints.getOrDefault(run, new TreeMap<>()).get(length);
                if (saved == null) {
                    return Optional.empty();
                }
                experts.add(new ExpertCheckpoint(run, taskOf.get(run), saved.getStep(), saved.getUri(), saved.getSha256()));
            }
        }
        return Optional.of(experts);
    }
}
