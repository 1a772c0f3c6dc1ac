package io.upcycle.merger.engine;

import io.upcycle.files.UpcycleHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Points DJL's TensorFlow engine at the TF 2.16.1 natives that the build unpacks into
 * {@code ${upcycle.home}/natives/tensorflow-2.16.1}.
 *
 * <p>DJL looks for {@code libjnitensorflow.so} in the folder named by {@code TENSORFLOW_LIBRARY_PATH}
 * (environment variable first, then system property) and hands that folder to JavaCPP as its
 * preload path, which then loads {@code libtensorflow_framework.so.2} and {@code libtensorflow_cc.so.2}
 * from it. So the folder must hold all three. Call {@link #configure()} before the first
 * {@code Engine.getEngine("TensorFlow")}.
 */
public final class TensorFlowNatives {
    /** TF version the DJL 0.36.0 engine is built against. */
    public static final String VERSION = "2.16.1";
    /** The variable (or system property) DJL reads. */
    public static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";
    /** Files DJL and JavaCPP load from the folder. */
    public static final List<String> REQUIRED = List.of("libjnitensorflow.so", "libtensorflow_framework.so.2", "libtensorflow_cc.so.2");
    /** The command that unpacks the natives. */
    public static final String FIX_COMMAND = "mvn -B -o -pl merger-service generate-resources";

    private TensorFlowNatives() {
    }

    /** The default folder: {@code ${upcycle.home}/natives/tensorflow-2.16.1}. */
    public static Path defaultFolder() {
        return UpcycleHome.resolve()
                .resolve("natives").resolve("tensorflow-" + VERSION);
    }

    /**
     * Sets the system property {@value #LIBRARY_PATH} to the folder in use (an existing environment
     * variable or property wins, as it does in DJL) and checks that the natives are there.
     *
     * @return the folder
     * @throws IllegalStateException naming the folder, the missing file and the fixing command
     */
    public static Path configure() {
        String fromEnv = System.getenv(LIBRARY_PATH);
        String fromProperty = System.getProperty(LIBRARY_PATH);
        Path folder = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
                : fromProperty != null && !fromProperty.isBlank() ? Path.of(fromProperty) : defaultFolder();
        requirePresent(folder);
        if (fromEnv == null || fromEnv.isBlank()) {
            System.setProperty(LIBRARY_PATH, folder.toAbsolutePath().toString());
        }
        return folder.toAbsolutePath();
    }

    /** Checks that {@code folder} holds every {@link #REQUIRED} file; the error names the folder and the fix. */
    public static void requirePresent(Path folder) {
        for (String file : REQUIRED) {
            if (!Files.isRegularFile(folder.resolve(file))) {
                throw new IllegalStateException("TensorFlow " + VERSION + " natives are missing: no " + file + " in "
                        + folder.toAbsolutePath() + ". Unpack them with `" + FIX_COMMAND + "` (from the repository root, "
                        + "with the same upcycle.home) or point " + LIBRARY_PATH + " at a folder holding " + REQUIRED);
            }
        }
    }
}
