package io.upcycle.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Lists the TCP sockets a process listens on, read from Linux's /proc: the socket inodes among the
 * process's file descriptors, matched against the LISTEN rows of /proc/net/tcp and tcp6.
 */
final class ListeningSockets {

    private static final String LISTEN_STATE = "0A";

    private ListeningSockets() {
    }

    static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    static List<InetSocketAddress> of(long pid) {
        Set<String> inodes = socketInodes(pid);
        List<InetSocketAddress> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : lines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && LISTEN_STATE.equals(f[3]) && inodes.contains(f[9])) {
                    listening.add(parse(f[1]));
                }
            }
        }
        return listening;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // The descriptor was closed between listing and reading: not a listener.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list descriptors of process " + pid, e);
        }
        return inodes;
    }

    /** Parses "0100007F:1F90": the address is hex, in host (little-endian) order per 32-bit word. */
    static InetSocketAddress parse(String hexAddressAndPort) {
        String[] parts = hexAddressAndPort.split(":");
        String hex = parts[0];
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int from = (word * 4 + (3 - b)) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(from, from + 2), 16);
            }
        }
        try {
            // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) comes back as the IPv4 address.
            return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Bad address " + hexAddressAndPort, e);
        }
    }

    private static List<String> lines(Path table) {
        try {
            List<String> all = Files.readAllLines(table);
            return all.subList(Math.min(1, all.size()), all.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
