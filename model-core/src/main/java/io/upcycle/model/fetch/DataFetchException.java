package io.upcycle.model.fetch;

/** Raw data could not be fetched, or what was fetched is not the data the project expects. */
public class DataFetchException extends RuntimeException {
    public DataFetchException(String message) {
        super(message);
    }

    public DataFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
