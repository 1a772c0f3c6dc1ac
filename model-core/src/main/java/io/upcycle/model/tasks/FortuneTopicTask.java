package io.upcycle.model.tasks;

import java.util.List;

/**
 * {@code fortune-topic-6}: which of six English fortune categories a quote comes from
 * (computers, politics, science, songs-poems, art, work). Every quote of the six files is used,
 * minus repeats; the classes are unbalanced (about 450 to 1,050 quotes).
 */
public final class FortuneTopicTask extends EnglishCategoryTask {
    public static final String NAME = "fortune-topic-6";
    /** The categories, in label order. */
    public static final List<String> CATEGORIES = List.of("computers", "politics", "science", "songs-poems", "art", "work");

    public FortuneTopicTask() {
        super(NAME, CATEGORIES);
    }
}
