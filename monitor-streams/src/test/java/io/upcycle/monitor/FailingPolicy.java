package io.upcycle.monitor;

import io.upcycle.monitor.policy.Assessment;
import io.upcycle.monitor.policy.RunView;
import io.upcycle.monitor.policy.StopPolicy;
import java.util.Map;

/** A policy with a bug: its n-th assessment throws. Never stops a run. */
final class FailingPolicy implements StopPolicy {
    private final int failOn;
    private int calls;

    FailingPolicy(int failOn) {
        this.failOn = failOn;
    }

    @Override
    public String name() {
        return "failing";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of();
    }

    @Override
    public String signalName() {
        return "steps";
    }

    @Override
    public Assessment assess(RunView run) {
        if (++calls == failOn) {
            throw new IllegalStateException("bug on call " + calls);
        }
        return new Assessment(run.step(), false, "never stops");
    }
}
