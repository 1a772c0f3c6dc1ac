package io.upcycle.schemas.registry;

/** The schema registry refused a request or could not be reached; says which and why. */
public class RegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;

    public RegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** HTTP status, or -1 when the registry could not be reached. */
    public int status() {
        return status;
    }

    /** The registry's own error code (e.g. 409 incompatible, 40401 subject not found), or -1. */
    public int errorCode() {
        return errorCode;
    }
}
