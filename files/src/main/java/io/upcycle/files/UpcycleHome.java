package io.upcycle.files;

import java.nio.file.Path;

/**
 * The upcycle home, the folder that holds every runtime file (fetched data, embeddings, the base,
 * natives, the registry, checkpoints, stack data): the system property {@value #PROPERTY}, else
 * {@value #DEFAULT} in the working folder. The build passes the repository's own folder to tests;
 * the launcher passes {@code $UPCYCLE_HOME}.
 */
public final class UpcycleHome {
    /** System property naming the upcycle home. */
    public static final String PROPERTY = "upcycle.home";
    /** Used when the property is not set. */
    public static final String DEFAULT = ".upcycle";

    private UpcycleHome() {
    }

    /** The upcycle home as an absolute path (it may not exist yet). */
    public static Path resolve() {
        String configured = System.getProperty(PROPERTY, DEFAULT);
        if (configured.isBlank()) {
            throw new IllegalArgumentException("System property " + PROPERTY + " is blank; unset it or name a folder");
        }
        return Path.of(configured).toAbsolutePath().normalize();
    }
}
