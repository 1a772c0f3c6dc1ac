package io.upcycle.model;

import java.nio.file.Path;

/**
 * The upcycle home: system property {@code upcycle.home}, else {@code .upcycle} in the working dir.
 * The one place services resolve it; local-stack, the layer below, reads the same property itself.
 */
public final class UpcycleHome {
    /** System property naming the upcycle home. */
    public static final String PROPERTY = "upcycle.home";

    private UpcycleHome() {
    }

    /** The configured home folder (not created). */
    public static Path resolve() {
        return Path.of(System.getProperty(PROPERTY, ".upcycle")).toAbsolutePath().normalize();
    }
}
