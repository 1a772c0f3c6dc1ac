package io.upcycle.monitor.state;

import java.util.HashMap;
import java.util.Map;

/** A run state saved and read back as the monitor stores it: its entry ({@link RunStateSerde}) and its {@link ExampleStore} entries, in a map. */
final class StoredStates {
    private static final RunStateSerde SERDE = new RunStateSerde();
    final Map<String, byte[]> entries = new HashMap<>();

    ExampleStore.Entries store() {
        return ExampleStore.Entries.of(entries::get, entries::put);
    }

    /** Saves {@code run} (a snapshot of its arrays, then its entry) and reads it back whole. */
    RunState roundTrip(RunState run) {
        ExampleStore.snapshot(run, store());
        return ExampleStore.load(SERDE.deserialize("t", SERDE.serialize("t", run)), store(), LossesReplay.NONE);
    }
}
