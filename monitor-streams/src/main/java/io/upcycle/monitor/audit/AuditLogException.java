package io.upcycle.monitor.audit;

/** A log file that cannot be read or replayed: damaged, truncated, or missing a schema; the message names the record. */
public final class AuditLogException extends RuntimeException {
    public AuditLogException(String message) {
        super(message);
    }

    public AuditLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
