package io.upcycle.monitor.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The steps of a run missing from its log: every gap counted, the first {@link #MAX_RANGES} kept
 * as ranges (a run that loses more has a broken pipeline; the count says how broken). A run with
 * a gap is incomplete: its signals were computed without those steps' losses.
 */
public final class StepGaps {
    /** How many gaps are kept as ranges; later ones are only counted. */
    public static final int MAX_RANGES = 16;

    /** Steps {@code first}..{@code last}, both included, are missing. */
    public record Range(long first, long last) {
        public Range {
            if (first > last) {
                throw new IllegalArgumentException("empty range " + first + ".." + last);
            }
        }

        public long size() {
            return last - first + 1;
        }

        @Override
        public String toString() {
            return first == last ? Long.toString(first) : first + "-" + last;
        }
    }

    private final List<Range> ranges = new ArrayList<>();
    private long missing;
    private int gaps;

    /** Records that steps {@code first}..{@code last} never arrived. */
    public void add(long first, long last) {
        Range range = new Range(first, last);
        if (ranges.size() < MAX_RANGES) {
            ranges.add(range);
        }
        missing += range.size();
        gaps++;
    }

    /** Restores a stored value. */
    static StepGaps of(List<Range> ranges, long missing, int gaps) {
        StepGaps restored = new StepGaps();
        restored.ranges.addAll(ranges);
        restored.missing = missing;
        restored.gaps = gaps;
        return restored;
    }

    public boolean isEmpty() {
        return gaps == 0;
    }

    /** How many steps are missing in all. */
    public long missing() {
        return missing;
    }

    /** How many gaps there were (ranges beyond {@link #MAX_RANGES} included). */
    public int gaps() {
        return gaps;
    }

    /** The first {@link #MAX_RANGES} gaps, in the order they were seen. */
    public List<Range> ranges() {
        return List.copyOf(ranges);
    }

    /** "steps 5-7, 12 (4 missing)", with "and N more gaps" when some were only counted. */
    public String describe() {
        StringBuilder out = new StringBuilder(ranges.size() == 1 && ranges.get(0).size() == 1 ? "step " : "steps ");
        for (int i = 0; i < ranges.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(ranges.get(i));
        }
        if (gaps > ranges.size()) {
            out.append(String.format(Locale.ROOT, " and %d more gaps", gaps - ranges.size()));
        }
        return out.append(" (").append(missing).append(" missing)").toString();
    }
}
