package io.upcycle.monitor.state;

/**
 * A run's losses records read back from the input, to replay them onto its example arrays
 * ({@link ExampleStore#load}).
 */
@FunctionalInterface
public interface LossesReplay {
    /**
     * Calls {@code visitor} with each losses record of run {@code runId} at input offsets {@code from}
     * to {@code to} (both included), in offset order; records that do not decode (they were
     * dead-lettered when they arrived) are passed over.
     */
    void forEach(String runId, long from, long to, Visitor visitor);

    /** One losses record: its offset and its contents as the run's tracker applied them. */
    @FunctionalInterface
    interface Visitor {
        void accept(long offset, int[] ids, float[] losses, boolean[] correct, float[] el2n);
    }

    /** For states that never replay (tests of the stores alone): refuses with the run. */
    LossesReplay NONE = (runId, from, to, visitor) -> {
        throw new IllegalStateException("run '" + runId + "': no losses input to replay offsets " + from + ".." + to + " from");
    };
}
