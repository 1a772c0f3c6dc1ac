package io.upcycle.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root folder, for tests that read its files (compose.yaml, deploy/, examples/). */
public final class RepositoryRoot {
    private RepositoryRoot() {
    }

    /** The nearest folder at or above the working directory that holds {@code compose.yaml}. */
    public static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("compose.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no compose.yaml at or above " + Path.of("").toAbsolutePath());
    }
}
