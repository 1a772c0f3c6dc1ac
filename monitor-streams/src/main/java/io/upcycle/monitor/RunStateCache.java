package io.upcycle.monitor;

import io.upcycle.monitor.state.RunState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoded states of the runs a task processed most recently, so that a record does not read
 * its run's whole state from the stores again. Only a copy: the stores (and their changelogs) are
 * written after every record and stay the durable state. Bounded by runs and by their examples
 * together (a state holds 11 bytes per example): the least recently used runs are dropped beyond
 * either bound, though the run just put always stays. One per processor, used by its stream thread only.
 */
final class RunStateCache {
    /** Enough for the runs one task sees at once. */
    static final int DEFAULT_RUNS = 64;
    /**
     * Examples whose decoded states fit in a quarter of the heap (11 bytes each): with {@code -Xmx8g}
     * about 195 M, nineteen runs of the largest size by default (10 M). Runs beyond it are snapshotted
     * as they are dropped and read from the stores again when their turn comes, which costs a whole
     * run per record.
     */
    static final long DEFAULT_EXAMPLES = Runtime.getRuntime().maxMemory() / 4 / 11;

    private final int maxRuns;
    private final long maxExamples;
    private final LinkedHashMap<String, RunState> states = new LinkedHashMap<>(16, 0.75f, true);
    private long examples;

    RunStateCache(int maxRuns, long maxExamples) {
        this.maxRuns = maxRuns;
        this.maxExamples = maxExamples;
    }

    /** The run's decoded state, or null when it is not held. */
    RunState get(String runId) {
        return states.get(runId);
    }

    /** Holds {@code state}, exactly as just written to the stores; returns the states dropped to make room for it. */
    List<RunState> put(String runId, RunState state) {
        remove(runId);
        states.put(runId, state);
        examples += state.exampleCount();
        List<RunState> dropped = List.of();
        Iterator<Map.Entry<String, RunState>> eldestFirst = states.entrySet().iterator();
        while ((states.size() > maxRuns || examples > maxExamples) && states.size() > 1) {
            RunState eldest = eldestFirst.next().getValue();
            examples -= eldest.exampleCount();
            eldestFirst.remove();
            dropped = dropped.isEmpty() ? new ArrayList<>() : dropped;
            dropped.add(eldest);
        }
        return dropped;
    }

    /** Drops the run's state (it may have been changed by an event that failed). */
    void remove(String runId) {
        RunState removed = states.remove(runId);
        if (removed != null) {
            examples -= removed.exampleCount();
        }
    }

    void clear() {
        states.clear();
        examples = 0;
    }
}
