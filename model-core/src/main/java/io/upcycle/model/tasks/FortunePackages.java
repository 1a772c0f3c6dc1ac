package io.upcycle.model.tasks;

import io.upcycle.model.fetch.DataManifest;
import io.upcycle.model.fetch.DebianPackage;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where the Debian fortune packages put their files, and reading a set of them into labeled
 * texts. The files a task may read are the ones the committed manifest pins.
 */
public final class FortunePackages {
    public static final String GAMES_DIR = "usr/share/games/fortunes";
    public static final DebianPackage FORTUNES = new DebianPackage("fortunes");
    static final DebianPackage FORTUNES_MIN = new DebianPackage("fortunes-min");

    private FortunePackages() {
    }

    /** The English category file {@code name}: from fortunes-min for its three files, else from fortunes. */
    static String englishCategory(String name) {
        DebianPackage owner = Set.of("fortunes", "literature", "riddles").contains(name) ? FORTUNES_MIN : FORTUNES;
        return owner.relativeDir() + "/" + GAMES_DIR + "/" + name;
    }

    /** Pinned files directly in {@code folder} (relative to the data root), minus {@code excluded} file names. */
    public static List<String> filesIn(String folder, Set<String> excluded) {
        List<String> files = new ArrayList<>();
        for (DataManifest.Entry entry : DataManifest.committed().under(folder)) {
            String rest = entry.path().substring(folder.length() + 1);
            if (!rest.contains("/") && !excluded.contains(rest)) {
                files.add(entry.path());
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("the data manifest pins no fortune file in " + folder);
        }
        return files;
    }

    /** Every entry of {@code files} (paths relative to {@code dataRoot}), labeled {@code label}. */
    static List<LabeledText> read(Path dataRoot, List<String> files, int label, Charset legacyCharset) {
        List<LabeledText> texts = new ArrayList<>();
        for (String file : files) {
            List<String> entries = FortuneFile.read(dataRoot.resolve(file), legacyCharset);
            String name = sourceName(file);
            for (int i = 0; i < entries.size(); i++) {
                texts.add(new LabeledText(name + "#" + i, entries.get(i), label));
            }
        }
        return texts;
    }

    /** {@code debian/fortunes-de/usr/share/games/fortunes/de/zitate} becomes {@code fortunes-de:de/zitate}. */
    static String sourceName(String file) {
        String[] parts = file.split("/", 3);
        String inPackage = parts[2].startsWith(GAMES_DIR + "/") ? parts[2].substring(GAMES_DIR.length() + 1) : parts[2];
        return parts[1] + ":" + inPackage;
    }
}
