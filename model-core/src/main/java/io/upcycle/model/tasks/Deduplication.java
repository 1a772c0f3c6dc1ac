package io.upcycle.model.tasks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Drops repeated texts (the fortune files repeat some quotes, within and across categories) so
 * that no text lands in two splits or under two labels. Texts compare with runs of whitespace
 * collapsed; the first occurrence wins, so the result depends only on the input order.
 */
final class Deduplication {
    private Deduplication() {
    }

    static List<LabeledText> firstOccurrences(List<LabeledText> examples) {
        return firstOccurrences(examples, new HashSet<>());
    }

    /** As above, also dropping texts already in {@code seen} (which it extends): dedup across calls. */
    static List<LabeledText> firstOccurrences(List<LabeledText> examples, Set<String> seen) {
        List<LabeledText> kept = new ArrayList<>(examples.size());
        for (LabeledText example : examples) {
            if (seen.add(example.text().replaceAll("\\s+", " "))) {
                kept.add(example);
            }
        }
        return kept;
    }
}
