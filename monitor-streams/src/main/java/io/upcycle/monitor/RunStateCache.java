package io.upcycle.monitor;

import io.upcycle.monitor.state.RunState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded states of the runs a task processed most recently, so that a record does not decode
 * its run's whole state from the store again. Only a copy: the {@code run-state} store (and its
 * changelog) is written after every record and stays the durable state. Bounded: the least
 * recently used run is dropped beyond {@code maxRuns}. One per processor, used by its stream
 * thread only.
 */
final class RunStateCache {
    /** Enough for the runs one task sees at once; a run of a million examples decodes to about 11 MB. */
    static final int DEFAULT_RUNS = 64;

    private final Map<String, RunState> states;

    RunStateCache(int maxRuns) {
        this.states = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RunState> eldest) {
                return size() > maxRuns;
            }
        };
    }

    /** The run's decoded state, or null when it is not held. */
    RunState get(String runId) {
        return states.get(runId);
    }

    /** Holds {@code state}, exactly as just written to the store. */
    void put(String runId, RunState state) {
        states.put(runId, state);
    }

    /** Drops the run's state (it may have been changed by an event that failed). */
    void remove(String runId) {
        states.remove(runId);
    }

    void clear() {
        states.clear();
    }
}
