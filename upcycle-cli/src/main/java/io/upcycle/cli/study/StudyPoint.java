package io.upcycle.cli.study;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.StopDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where along training a study merges its experts: at each task's own automatic stop (the
 * checkpoint its stop decision chose) or at one fixed length for every task. Pure: decisions and
 * checkpoint events in, the checkpoints to merge out.
 *
 * @param name {@code auto} or {@code length}
 * @param length the fixed length, 0 for {@code auto}
 */
record StudyPoint(String name, long length) {
    static final String AUTO = "auto";
    static final String LENGTH = "length";

    static StudyPoint auto() {
        return new StudyPoint(AUTO, 0);
    }

    static StudyPoint length(long steps) {
        return new StudyPoint(LENGTH, steps);
    }

    /** {@code auto} or {@code len-256}: for plan ids and progress lines. */
    String label() {
        return length == 0 ? AUTO : "len-" + length;
    }

    /**
     * The checkpoint of each run at this point, in run order; empty when a run has none (a decision
     * that names no checkpoint, or a length the run never reached).
     */
    Optional<List<ExpertCheckpoint>> experts(List<String> runIds, Map<String, String> taskOf, Map<String, StopDecision> decisions,
                                             Map<String, TreeMap<Long, CheckpointSaved>> checkpoints) {
        List<ExpertCheckpoint> experts = new ArrayList<>();
        for (String run : runIds) {
            if (length == 0) {
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
