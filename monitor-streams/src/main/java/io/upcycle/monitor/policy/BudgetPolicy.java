package io.upcycle.monitor.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The baseline: stops a run at a fixed step, {@code steps}, whatever its signals say. Comparing the
 * other policies with it (at the same budget as the full-length run, or at the best fixed length)
 * is how their gain is measured. Its signal is the step itself.
 */
public final class BudgetPolicy extends NamedPolicy {
    public static final String NAME = "budget";
    public static final int VERSION = 1;
    public static final String STEPS = "steps";
    public static final long DEFAULT_STEPS = 8192;

    private final long steps;

    public BudgetPolicy(long steps) {
        super(NAME, VERSION, "step");
        if (steps < 1) {
            throw new PolicyParameterException(STEPS, STEPS + " must be >= 1, got " + steps);
        }
        this.steps = steps;
    }

    /** The policy from string parameters; a missing {@code steps} takes its default. */
    public static BudgetPolicy fromParameters(Map<String, String> given) {
        PolicyParameters p = PolicyParameters.of(NAME, given, Set.of(STEPS));
        return new BudgetPolicy(p.whole(STEPS, DEFAULT_STEPS, 1));
    }

    @Override
    public Assessment assess(RunView run) {
        boolean reached = run.step() >= steps;
        return new Assessment(run.step(), reached,
                "step " + run.step() + (reached ? " reached" : " is below") + " the budget of " + steps + " steps");
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(STEPS, Long.toString(steps));
        return parameters;
    }

    public long steps() {
        return steps;
    }
}
