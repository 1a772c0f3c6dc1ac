package io.upcycle.model.fetch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the package clients ({@code apt-get}, {@code dpkg-deb}, {@code npm}, {@code tar}) as child
 * processes. An interface so that tests can count or refuse calls without touching the system.
 */
public interface CommandRunner {

    /** What a finished command left: its exit status and its stdout and stderr, merged. */
    record Result(List<String> command, int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Fails with the command line, its status and the tail of its output unless it succeeded. */
        public Result orThrow() {
            if (!ok()) {
                String tail = output.length() > 2000 ? output.substring(output.length() - 2000) : output;
                throw new DataFetchException("`" + String.join(" ", command) + "` failed with status "
                        + exitCode + ":\n" + tail.strip());
            }
            return this;
        }
    }

    /** Runs {@code command} in {@code workDir} and waits for it. */
    Result run(Path workDir, List<String> command);

    /** The real thing: {@link ProcessBuilder}, output captured, no shell. */
    static CommandRunner system() {
        return (workDir, command) -> {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            try {
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return new Result(List.copyOf(command), process.waitFor(), output);
            } catch (IOException e) {
                throw new DataFetchException("cannot run `" + String.join(" ", command) + "` (is `" + command.get(0)
                        + "` installed? the data fetcher needs apt-get, dpkg-deb, npm and tar): " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataFetchException("interrupted while running `" + String.join(" ", command) + "`", e);
            }
        };
    }
}
