package io.upcycle.model.fetch;

import io.upcycle.files.UpcycleHome;
import java.nio.file.Path;

/**
 * Where the data code keeps its files inside the upcycle home: fetched raw data under
 * {@code data/}, cached embeddings under {@code cache/embeddings/}.
 *
 * <p>The home comes from the system property {@code upcycle.home} (default {@code .upcycle},
 * relative to the working directory), so that tests, services and the CLI share one copy.
 */
public record DataHome(Path root) {
    public DataHome {
        root = root.toAbsolutePath().normalize();
    }

    /** The home named by {@code -Dupcycle.home}, or {@code .upcycle} when it is not set. */
    public static DataHome fromSystemProperty() {
        return new DataHome(UpcycleHome.resolve());
    }

    /** Raw datasets, one folder per kind of registry (e.g. {@code data/debian/<package>}). */
    public Path data() {
        return root.resolve("data");
    }

    /** Cached sentence embeddings, one folder per encoder. */
    public Path embeddings() {
        return root.resolve("cache").resolve("embeddings");
    }
}
