package io.upcycle.monitor.audit;

import java.util.List;
import java.util.Map;

/**
 * The result of {@link Audit#run}: per run, whether its recorded decisions were reproduced, and what
 * the counterfactual policy would have done.
 *
 * @param runs one entry per run, sorted by run id
 * @param records input records of the log replayed (every run's: they share partitions)
 * @param deadLetters records of the audited runs that the replay dead-lettered
 * @param counterfactualPolicy the {@code policy.*} values of the counterfactual (empty: none asked)
 */
public record AuditReport(List<RunAudit> runs, long records, long deadLetters, Map<String, String> counterfactualPolicy) {
    /** Whether every run's recorded decisions were reproduced. */
    public boolean allReproduced() {
        return runs.stream().allMatch(RunAudit::reproduced);
    }
}
