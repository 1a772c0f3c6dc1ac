package io.upcycle.stack;

/**
 * Thrown when the broker or the registry of the local stack cannot start. The message says what
 * failed, where its files or logs are, and how to fix it when the fix is known.
 */
public class StackStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StackStartException(String message) {
        super(message);
    }

    public StackStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
