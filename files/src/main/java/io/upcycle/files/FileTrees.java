package io.upcycle.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder trees: the one recursive delete and folder creation of the project. */
public final class FileTrees {
    private FileTrees() {
    }

    /** Creates {@code folder} and its parents if missing; returns it. */
    public static Path create(Path folder) {
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes {@code root} and everything below it, deepest first; a missing root, and files that
     * vanish meanwhile, are fine. Links are deleted, not followed.
     *
     * @throws UncheckedIOException naming the root when something cannot be deleted
     */
    public static void delete(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code root} as {@link #delete} does, logging nothing and throwing nothing: for clean-up after a failure. */
    public static void deleteQuietly(Path root) {
        try {
            delete(root);
        } catch (UncheckedIOException ignored) {
            // what is left stays under the upcycle home or the temp folder; the caller's own error matters more
        }
    }
}
