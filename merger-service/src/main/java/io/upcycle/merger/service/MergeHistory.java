package io.upcycle.merger.service;

import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.schemas.avro.MergeCompleted;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The merges already published, as (plan id, method) to merge id and experts, read from
 * {@code upcycle.merge-results} at start ({@link MergeHistoryReader}) and kept up to date with
 * every publish. The first result of a (plan, method) wins, as its firing did.
 */
public final class MergeHistory {
    /** One published merge: its id and the experts it merged, in order. */
    public record Prior(String mergeId, List<ExpertCheckpoint> experts) {
    }

    private record Key(String planId, String method) {
    }

    private final Map<Key, Prior> merges = new LinkedHashMap<>();

    /** Records {@code event} unless its (plan, method) already has a result; returns whether it was new. */
    public boolean record(MergeCompleted event) {
        List<ExpertCheckpoint> experts = event.getExperts().stream().map(ExpertCheckpoint::from).toList();
        return merges.putIfAbsent(new Key(event.getPlanId(), event.getMethod()), new Prior(event.getMergeId(), experts)) == null;
    }

    /** The result of {@code method} for {@code planId}, if one was published. */
    public Optional<Prior> find(String planId, String method) {
        return Optional.ofNullable(merges.get(new Key(planId, method)));
    }

    /** How many (plan, method) results are known. */
    public int size() {
        return merges.size();
    }
}
