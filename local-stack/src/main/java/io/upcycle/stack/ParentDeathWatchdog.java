package io.upcycle.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a child process dies with this JVM, however the JVM dies (kill -9 included, where no
 * shutdown hook runs). A tiny {@code sh} sidecar blocks reading a pipe whose only writer is this
 * JVM; when the JVM exits the kernel closes the pipe, the read returns, and the sidecar sends the
 * child TERM, then KILL after a grace period. It first checks that the pid still runs the command
 * it was given (a pid can be reused), and it is stopped as soon as the child exits by itself.
 */
final class ParentDeathWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(ParentDeathWatchdog.class);
    private static final Path SHELL = Path.of("/bin/sh");
    private static final String SCRIPT = String.join("\n",
            "read ignored",
            "if [ -r \"/proc/$1/cmdline\" ] && ! tr '\\000' ' ' < \"/proc/$1/cmdline\" | grep -qF -- \"$2\"; then exit 0; fi",
            "kill -TERM \"$1\" 2>/dev/null || exit 0",
            "i=0",
            "while kill -0 \"$1\" 2>/dev/null && [ \"$i\" -lt 100 ]; do sleep 0.1; i=$((i+1)); done",
            "kill -KILL \"$1\" 2>/dev/null",
            "exit 0");

    private ParentDeathWatchdog() {
    }

    /**
     * Starts a sidecar guarding {@code child}; {@code marker} must occur in the child's command line.
     * Empty where there is no POSIX shell (the child then only stops through close or shutdown hooks).
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the onExit callback's future: nothing waits for it
    static Optional<Process> guard(ProcessHandle child, String marker) {
        if (!Files.isExecutable(SHELL)) {
            LOG.warn("No {}: process {} will not be stopped if this JVM is killed", SHELL, child.pid());
            return Optional.empty();
        }
        try {
            Process sidecar = new ProcessBuilder(SHELL.toString(), "-c", SCRIPT, "upcycle-watchdog",
                    Long.toString(child.pid()), marker)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // The sidecar's stdin stays open (it is the pipe); a child that exits needs no guard. The
            // returned future only says the callback ran: nothing waits for it.
            child.onExit().thenRun(sidecar::destroyForcibly);
            return Optional.of(sidecar);
        } catch (IOException e) {
            LOG.warn("Cannot start a watchdog for process {}: it will not be stopped if this JVM is killed",
                    child.pid(), e);
            return Optional.empty();
        }
    }
}
