package io.upcycle.monitor.policy;

/**
 * What a policy concluded after one step.
 *
 * @param signal the policy's signal value at this step (recorded as evidence either way)
 * @param stop whether the run should stop now
 * @param reason one readable sentence saying why (or why not)
 */
public record Assessment(double signal, boolean stop, String reason) {
}
