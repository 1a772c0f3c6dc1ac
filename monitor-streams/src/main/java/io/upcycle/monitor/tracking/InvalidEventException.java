package io.upcycle.monitor.tracking;

/**
 * An event that decodes but breaks the contract (NaN loss, step going backwards, unknown run...).
 * It goes to the dead-letter topic at the validation stage; the run's state is left untouched.
 */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }
}
