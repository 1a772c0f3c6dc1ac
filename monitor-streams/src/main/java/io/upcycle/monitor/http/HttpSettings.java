package io.upcycle.monitor.http;

/**
 * The monitor's JSON API and dashboard: its port (0: any free one, -1: none), the address it binds,
 * and the bearer token it requires (empty: none on loopback, a generated one off it; see
 * {@link HttpAccess}). The token never appears in {@link #toString()}.
 */
public record HttpSettings(int port, String bindAddress, String token) {

    /** Whether the monitor serves HTTP at all. */
    public boolean enabled() {
        return port >= 0;
    }

    @Override
    public String toString() {
        return "HttpSettings[port=" + port + ", bindAddress=" + bindAddress + ", token=" + (token.isEmpty() ? "none" : "[hidden]") + "]";
    }
}
