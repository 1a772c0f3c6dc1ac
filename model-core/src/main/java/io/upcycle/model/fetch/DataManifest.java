package io.upcycle.model.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed list of every raw data file the project reads, with its sha256: content
 * checksums of the unpacked files, not of the downloaded archives, whose revisions may differ
 * between Debian releases while the data stays the same.
 *
 * <p>The resource uses {@code sha256sum}'s format ({@code <hex>  <path>}, paths relative to the
 * data root, {@code #} comments), so {@code cd .upcycle/data && sha256sum -c} checks it too.
 */
public final class DataManifest {
    /** Classpath location of the committed manifest. */
    public static final String RESOURCE = "io/upcycle/model/fetch/data-manifest.sha256";

    /** One pinned file: its path relative to the data root and its expected hash. */
    public record Entry(String path, String sha256) {
    }

    private final List<Entry> entries;

    private DataManifest(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The manifest committed in model-core's resources (parsed once per JVM: ~6,400 lines). */
    public static DataManifest committed() {
        return Committed.MANIFEST;
    }

    private static final class Committed {
        static final DataManifest MANIFEST = load();
    }

    private static DataManifest load() {
        try (InputStream in = DataManifest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("data manifest " + RESOURCE + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static DataManifest parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1); // blank lines, the last one included, are skipped below
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+\\*?", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(RESOURCE + " line " + (i + 1) + " is not '<sha256>  <path>': " + line);
            }
            entries.add(new Entry(parts[1], parts[0]));
        }
        return new DataManifest(entries);
    }

    /** Every pinned file whose path lies under {@code relativeDir}, in manifest order. */
    public List<Entry> under(String relativeDir) {
        String prefix = relativeDir.endsWith("/") ? relativeDir : relativeDir + "/";
        return entries.stream().filter(e -> e.path().startsWith(prefix)).toList();
    }

    public List<Entry> entries() {
        return entries;
    }
}
