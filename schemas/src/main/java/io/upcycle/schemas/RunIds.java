package io.upcycle.schemas;

import java.util.regex.Pattern;

/**
 * What a run id may be. Upcycle's trainer names runs with letters, digits, '.', '_' and '-'
 * ({@link #isWellFormed}), since a run id is also a checkpoint folder; every service accepts
 * at most {@link #MAX_LENGTH} characters, so a run's key bounds what one run costs in state,
 * topics and URLs.
 */
public final class RunIds {
    /** The longest run id any service accepts. */
    public static final int MAX_LENGTH = 200;
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private RunIds() {
    }

    /** Whether {@code runId} is one path segment of letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static boolean isWellFormed(String runId) {
        return runId != null && WELL_FORMED.matcher(runId).matches();
    }

    /** Why {@code runId} is refused by every service (empty, or too long), or null when its length is fine. */
    public static String lengthProblem(String runId) {
        if (runId == null || runId.isEmpty()) {
            return "the run id is empty";
        }
        if (runId.length() > MAX_LENGTH) {
            return "the run id has " + runId.length() + " characters, more than " + MAX_LENGTH;
        }
        return null;
    }
}
