package io.upcycle.model.checkpoint;

import io.upcycle.files.Sha256;
import io.upcycle.files.UpcycleHome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checkpoint store: a local folder of safetensors files, {@code <root>/<runId>/step-<step>.safetensors}.
 *
 * <p>Files are content-addressed: every save returns the file's sha256, the events carry it, and
 * readers open a checkpoint only through {@link #openVerified}, which refuses a file whose bytes
 * are not the ones the event announced. The default root is {@code ${upcycle.home}/checkpoints}.
 */
public final class CheckpointStore {
    /** Metadata keys every stored checkpoint carries. */
    public static final String META_RUN_ID = "upcycle.run_id";
    public static final String META_STEP = "upcycle.step";
    public static final String META_KIND = "upcycle.kind";
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final Path root;

    public CheckpointStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The store under {@code ${upcycle.home}/checkpoints} ({@code upcycle.home} defaults to {@code .upcycle}). */
    public static CheckpointStore atDefaultLocation() {
        return new CheckpointStore(home().resolve("checkpoints"));
    }

    /** The upcycle home folder from the system property {@code upcycle.home} (default {@code .upcycle}). */
    public static Path home() {
        return UpcycleHome.resolve();
    }

    public Path root() {
        return root;
    }

    /**
     * Writes a checkpoint of {@code runId} at {@code step} (replacing one saved before at that step)
     * and returns where it lies and its hash. {@code kind} (e.g. FULL_WEIGHTS) and the run and step
     * are added to the file's metadata.
     */
    public StoredCheckpoint save(String runId, long step, String kind, Collection<Tensor> tensors, Map<String, String> metadata) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, was " + step);
        }
        Map<String, String> all = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
        all.put(META_RUN_ID, runId);
        all.put(META_STEP, Long.toString(step));
        all.put(META_KIND, kind);
        return saveAs(runId, "step-" + step + ".safetensors", tensors, all);
    }

    /** Writes {@code <root>/<folder>/<fileName>} (e.g. a merge's output) and returns its address. */
    public StoredCheckpoint saveAs(String folder, String fileName, Collection<Tensor> tensors, Map<String, String> metadata) {
        Path file = root.resolve(segment("folder", folder)).resolve(segment("file name", fileName));
        Safetensors.write(file, tensors, metadata);
        return describe(file);
    }

    /** URI, hash and size of a file already in place. */
    public static StoredCheckpoint describe(Path file) {
        try {
            return new StoredCheckpoint(file.toAbsolutePath().toUri().toString(), Sha256.of(file), Files.size(file), file);
        } catch (IOException e) {
            throw new CheckpointException("cannot describe checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the checkpoint at {@code uri} after checking that its sha256 is {@code expectedSha256};
     * refuses a missing file or a mismatch with a {@link CheckpointException} naming the file and
     * both hashes. Works for any {@code file:} URI, not only ones under this store's root.
     */
    public SafetensorsFile openVerified(String uri, String expectedSha256) {
        if (expectedSha256 == null || expectedSha256.isBlank()) {
            throw new CheckpointException("refusing checkpoint " + uri + ": no expected sha256 was given");
        }
        Path file = toPath(uri);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("checkpoint file " + file + " does not exist (uri " + uri + ")");
        }
        String actual = Sha256.of(file);
        if (!actual.equals(expectedSha256.toLowerCase(Locale.ROOT))) {
            throw new CheckpointException("checkpoint file " + file + " failed verification: expected sha256 "
                    + expectedSha256 + " but the file has " + actual);
        }
        return Safetensors.open(file);
    }

    /** The local path of a {@code file:} URI (or a plain path). */
    public static Path toPath(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (parsed.getScheme() == null) {
                return Path.of(uri).toAbsolutePath();
            }
            if (!"file".equals(parsed.getScheme())) {
                throw new CheckpointException("checkpoint uri " + uri + " is not a file: URI; only the local store is supported");
            }
            return Path.of(parsed);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint uri " + uri + " is malformed: " + e.getMessage(), e);
        }
    }

    private static String segment(String what, String value) {
        if (value == null || !SAFE_SEGMENT.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException(what + " '" + value + "' must be one path segment of letters, digits, '.', '_' or '-'");
        }
        return value;
    }
}
