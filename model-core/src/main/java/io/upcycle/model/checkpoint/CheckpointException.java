package io.upcycle.model.checkpoint;

/**
 * A checkpoint could not be written, read or trusted (missing file, corrupt header, hash
 * mismatch). The message always names the file and the reason.
 */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
