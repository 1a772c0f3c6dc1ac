package io.upcycle.model.tasks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A task whose classes are English fortune categories, one file each, in label order: every
 * quote of the files is used once (repeats dropped).
 */
abstract class EnglishCategoryTask extends NamedTask {
    EnglishCategoryTask(String name, List<String> categories) {
        super(name, categories, List.of(FortunePackages.FORTUNES));
    }

    @Override
    public List<LabeledText> load(Path dataRoot) {
        List<LabeledText> all = new ArrayList<>();
        for (int label = 0; label < classNames().size(); label++) {
            List<String> file = List.of(FortunePackages.englishCategory(classNames().get(label)));
            all.addAll(FortunePackages.read(dataRoot, file, label, StandardCharsets.ISO_8859_1));
        }
        return Deduplication.firstOccurrences(all);
    }
}
