package io.upcycle.model.tasks;

import io.upcycle.model.fetch.DebianPackage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code grain}: whether a Reuters-21578 newswire is about grain, from Weka's ARFF examples in the
 * Debian package {@code weka} ({@code ReutersGrain-train.arff} / {@code -test.arff}). The two files
 * are the ModApte train and test split (each one fold of five of it, as Weka ships them), so the
 * test split is the one the files give ({@link #inFixedTestSplit}); the loader draws validation
 * as a seeded slice of the train file.
 *
 * <p>Texts: Reuters' SGML leftovers are cleaned (the entities for less-than, greater-than and ampersand
 * decoded; control-character references such as the end-of-text one, number 3, dropped), stripped and clipped
 * to 1,500 characters. Repeated texts are dropped, first occurrence wins, train read before test,
 * so no test text is also a training text. Classes are very unbalanced (about 7 % grain).
 */
public final class GrainTask extends NamedTask {
    public static final String NAME = "grain";
    public static final DebianPackage WEKA = new DebianPackage("weka");
    public static final String EXAMPLES_DIR = WEKA.relativeDir() + "/usr/share/doc/weka/examples";
    public static final String TRAIN_FILE = "ReutersGrain-train.arff";
    public static final String TEST_FILE = "ReutersGrain-test.arff";
    /** Class names in label order: the files' class attribute is 0 (not grain) or 1 (grain). */
    public static final List<String> CLASSES = List.of("other", "grain");

    public GrainTask() {
        super(NAME, CLASSES, List.of(WEKA));
    }

    @Override
    public List<LabeledText> load(Path dataRoot) {
        Set<String> seen = new HashSet<>();
        List<LabeledText> all = new ArrayList<>(Deduplication.firstOccurrences(read(dataRoot, TRAIN_FILE), seen));
        all.addAll(Deduplication.firstOccurrences(read(dataRoot, TEST_FILE), seen));
        return all;
    }

    /** The examples read from the ModApte test file. */
    @Override
    public boolean inFixedTestSplit(LabeledText example) {
        return example.source().startsWith(TEST_FILE + "#");
    }

    static List<LabeledText> read(Path dataRoot, String fileName) {
        Path file = dataRoot.resolve(EXAMPLES_DIR).resolve(fileName);
        List<List<String>> rows = ArffFile.rows(file);
        List<LabeledText> texts = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            int label = CLASSES.indexOf(switch (row.size() == 2 ? row.get(1) : "?") {
                case "0" -> "other";
                case "1" -> "grain";
                default -> throw new IllegalStateException(file + " row " + (i + 1) + ": expected '<text>,<0|1>', got " + row.size()
                        + " values ending in " + row.get(row.size() - 1));
            });
            String text = clean(row.get(0));
            if (!text.isEmpty()) {
                texts.add(new LabeledText(fileName + "#" + i, text, label));
            }
        }
        return texts;
    }

    /** Decodes the SGML entities Reuters uses, drops control-character references, strips and clips. */
    static String clean(String raw) {
        String text = raw.replaceAll("&#([0-9]|[12][0-9]|3[01]|127);", " ")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip();
        return text.isEmpty() ? "" : FortuneFile.clip(text);
    }
}
