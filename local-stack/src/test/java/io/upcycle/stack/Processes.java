package io.upcycle.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process facts the JDK does not give: zombie-aware liveness and resident memory, from /proc. */
final class Processes {

    private Processes() {
    }

    /** True while the process runs; a zombie (exited, not yet reaped by its new parent) is not running. */
    static boolean isRunning(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // Format: "pid (comm) S ..." where comm may hold spaces and parentheses.
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException gone) {
                return false;
            }
        }
        return false;
    }

    /** Resident set size in MiB, or -1 when unknown. */
    static long rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException gone) {
            return -1;
        }
        return -1;
    }
}
