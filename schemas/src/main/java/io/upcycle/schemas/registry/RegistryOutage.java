package io.upcycle.schemas.registry;

/**
 * Tells a schema registry that is down (unreachable, failing on its side: 5xx, or refusing the
 * service's credentials: 401, 403) from a record that is bad. An outage passes: the record is fine and must be decoded again later, never skipped
 * nor dead-lettered. A 4xx answer (an unknown schema id, say) is about the record itself.
 */
public final class RegistryOutage {
    private RegistryOutage() {
    }

    /** Whether {@code error}, or one of its causes, is a registry that could not answer. */
    public static boolean isOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RegistryException registry) {
                return registry.status() < 0 || registry.status() >= 500 || refused(registry);
            }
        }
        return false;
    }

    /**
     * Whether the registry refused the service's credentials (401, 403). That is not the record's
     * fault either: the record waits, like in an outage, until the credentials work again or the wait
     * runs out; a service checks them at start ({@code AccessCheck}) so a wrong password fails there.
     */
    public static boolean refused(RegistryException error) {
        return error.status() == 401 || error.status() == 403;
    }

    /** The registry error behind {@code error}, for log lines. */
    public static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RegistryException registry) {
                return registry.getMessage();
            }
        }
        return String.valueOf(error.getMessage());
    }
}
