package io.upcycle.model.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fortune-topic-6}: which of six English fortune categories a quote comes from
 * (computers, politics, science, songs-poems, art, work). Every quote of the six files is used,
 * minus repeats; the classes are unbalanced (about 450 to 1,050 quotes).
 */
public final class FortuneTopicTask implements TaskSource {
    public static final String NAME = "fortune-topic-6";
    /** The categories, in label order. */
    public static final List<String> CATEGORIES = List.of("computers", "politics", "science", "songs-poems", "art", "work");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> classNames() {
        return CATEGORIES;
    }

    @Override
    public List<DataSource> sources() {
        return List.of(FortunePackages.FORTUNES);
    }

    @Override
    public List<LabeledText> load(Path dataRoot) {
        List<LabeledText> all = new ArrayList<>();
        for (int label = 0; label < CATEGORIES.size(); label++) {
            List<String> file = List.of(FortunePackages.englishCategory(CATEGORIES.get(label)));
            all.addAll(FortunePackages.read(dataRoot, file, label, StandardCharsets.ISO_8859_1));
        }
        return Deduplication.firstOccurrences(all);
    }
}
