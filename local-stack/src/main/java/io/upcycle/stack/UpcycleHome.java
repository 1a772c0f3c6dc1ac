package io.upcycle.stack;

import java.nio.file.Path;

/**
 * Locates the "upcycle home", the folder that holds runtime files (unpacked registry, logs, kept
 * stack data). Read from the system property {@value #PROPERTY}, default {@value #DEFAULT}
 * relative to the working directory; the build passes the repository's own folder to tests.
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
