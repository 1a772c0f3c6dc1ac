package io.upcycle.model.tasks;

import java.util.List;

/**
 * {@code fortune-pretrain}: a 23-way topic task that the shared base trunk is pretrained on, so
 * that the experts start from features that know English quotes without having seen any task's
 * data. Its categories are the English ones of the {@code fortunes} package with at least
 * {@link #MIN_QUOTES} quotes that no task uses: the six of {@link FortuneTopicTask}, and
 * fortunes-min's three files plus the small categories that {@link FortuneLanguageTask} reads for
 * English, are left out. A test checks that rule against the real files.
 */
public final class FortunePretrainTask extends EnglishCategoryTask {
    public static final String NAME = "fortune-pretrain";
    /** A category needs this many quotes to be a class. */
    public static final int MIN_QUOTES = 100;
    /** The categories, in label order (alphabetical). */
    public static final List<String> CATEGORIES = List.of(
            "cookie", "definitions", "disclaimer", "drugs", "education", "ethnic", "food", "humorists",
            "kids", "knghtbrd", "law", "linux", "linuxcookie", "love", "men-women", "miscellaneous",
            "people", "perl", "platitudes", "sports", "startrek", "wisdom", "zippy");

    public FortunePretrainTask() {
        super(NAME, CATEGORIES);
    }
}
