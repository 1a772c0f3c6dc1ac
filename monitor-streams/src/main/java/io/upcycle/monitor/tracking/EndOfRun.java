package io.upcycle.monitor.tracking;

import io.upcycle.monitor.policy.StopPolicy;
import io.upcycle.schemas.avro.StopDecision;

/**
 * The decision the monitor records for a run that ended before its policy fired: its policy name,
 * and how its parameters name the policy it watched. The one place for the format that
 * {@link DecisionBuilder} writes and the audit, the study and the report read.
 */
public final class EndOfRun {
    /** Policy name of an end-of-run decision. */
    public static final String POLICY = "end-of-run";
    /** Parameter naming the watched policy and its version, {@code learned-fraction-v1}. */
    public static final String WATCHED_POLICY = "watchedPolicy";
    /** Prefix of the watched policy's own parameters. */
    public static final String WATCHED_PREFIX = "watched.";

    private EndOfRun() {
    }

    static String watchedId(StopPolicy policy) {
        return policy.name() + "-v" + policy.version();
    }

    /**
     * The policy {@code decision} speaks for: its own, or for an end-of-run decision the policy that
     * did not fire; null for an end-of-run decision that names none.
     */
    public static String policyOf(StopDecision decision) {
        if (!decision.getPolicy().equals(POLICY)) {
            return decision.getPolicy();
        }
        String watched = decision.getParameters().get(WATCHED_POLICY);
        return watched != null && watched.lastIndexOf("-v") > 0 ? watched.substring(0, watched.lastIndexOf("-v")) : null;
    }
}
