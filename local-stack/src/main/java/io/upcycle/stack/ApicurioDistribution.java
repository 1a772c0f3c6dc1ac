package io.upcycle.stack;

import io.upcycle.files.UpcycleHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Apicurio Registry distribution that the build unpacks (maven-dependency-plugin in
 * local-stack's pom) into {@code <upcycle home>/apicurio/<version>}. Finding it fails with a
 * message naming the folder and the command that fills it.
 */
record ApicurioDistribution(Path folder, Path runnerJar) {

    /** The registry version; keep in step with {@code apicurio.version} in the root pom. */
    static final String VERSION = "3.0.9";
    static final String FIX_COMMAND = "./mvnw -pl local-stack package -DskipTests";

    static ApicurioDistribution locate(Path upcycleHome) {
        Path folder = upcycleHome.resolve("apicurio").resolve(VERSION);
        List<Path> runners = runnerJars(folder);
        if (runners.size() != 1 || !Files.isDirectory(folder.resolve("lib"))) {
            throw new StackStartException("Apicurio Registry " + VERSION + " is not unpacked in " + folder
                    + " (expected one *-runner.jar and lib/, found " + runners + "). Unpack it with `"
                    + FIX_COMMAND + "` from the repository root, or point the system property "
                    + UpcycleHome.PROPERTY + " at the folder that holds apicurio/" + VERSION + ".");
        }
        return new ApicurioDistribution(folder, runners.get(0));
    }

    private static List<Path> runnerJars(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + folder, e);
        }
    }
}
