package io.upcycle.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Picks free TCP ports on 127.0.0.1. A port picked here can be taken by another process before
 * our server binds it, so callers retry with fresh ports when {@link #isBindFailure} says so.
 */
final class LoopbackPorts {

    /** The only address the local stack listens on. */
    static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    static InetAddress address() {
        try {
            return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Cannot resolve " + HOST, e);
        }
    }

    /** Returns {@code count} distinct ports that were free a moment ago. */
    static int[] pick(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                // All sockets stay open until every port is read, so the ports are distinct.
                sockets[i] = new ServerSocket(0, 1, address());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    /** True when {@code failure} or one of its causes says an address was already in use. */
    static boolean isBindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || isBindMessage(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    static boolean isBindMessage(String text) {
        return text != null && (text.contains("Address already in use") || text.contains("Port already bound")
                || text.contains("seems to be in use"));
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing listens on it any more either way.
        }
    }
}
