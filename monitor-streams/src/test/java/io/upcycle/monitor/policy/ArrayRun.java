package io.upcycle.monitor.policy;

/** A run view over plain arrays, for policy tests. */
record ArrayRun(float[] latestLosses, long step, long stepsObserved) implements RunView {
    @Override
    public String runId() {
        return "run";
    }

    @Override
    public int exampleCount() {
        return latestLosses.length;
    }

    @Override
    public int examplesSeen() {
        int seen = 0;
        for (float loss : latestLosses) {
            seen += Float.isNaN(loss) ? 0 : 1;
        }
        return seen;
    }
}
