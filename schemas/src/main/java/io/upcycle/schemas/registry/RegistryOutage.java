package io.upcycle.schemas.registry;

/**
 * Tells a schema registry that is down (unreachable, or failing on its side: 5xx) from a record
 * that is bad. An outage passes: the record is fine and must be decoded again later, never skipped
 * nor dead-lettered. A 4xx answer (an unknown schema id, say) is about the record itself.
 */
public final class RegistryOutage {
    private RegistryOutage() {
    }

    /** Whether {@code error}, or one of its causes, is a registry that could not answer. */
    public static boolean isOutage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RegistryException registry) {
                return registry.status() < 0 || registry.status() >= 500;
            }
        }
        return false;
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
