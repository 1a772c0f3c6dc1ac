package io.upcycle.model.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fortune-pretrain}: a 23-way topic task that the shared base trunk is pretrained on, so
 * that the experts start from features that know English quotes without having seen any task's
 * data. Its categories are the English ones of the {@code fortunes} package with at least
 * {@link #MIN_QUOTES} quotes that no task uses: the six of {@link FortuneTopicTask}, and
 * fortunes-min's three files plus the small categories that {@link FortuneLanguageTask} reads for
 * English, are left out. A test checks that rule against the real files.
 */
public final class FortunePretrainTask implements TaskSource {
    public static final String NAME = "fortune-pretrain";
    /** A category needs this many quotes to be a class. */
    public static final int MIN_QUOTES = 100;
    /** The categories, in label order (alphabetical). */
    public static final List<String> CATEGORIES = List.of(
            "cookie", "definitions", "disclaimer", "drugs", "education", "ethnic", "food", "humorists",
            "kids", "knghtbrd", "law", "linux", "linuxcookie", "love", "men-women", "miscellaneous",
            "people", "perl", "platitudes", "sports", "startrek", "wisdom", "zippy");

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
