package io.upcycle.model.fetch;

import java.nio.file.Path;

/**
 * A data file is missing or its bytes are not the ones the committed manifest pins. The message
 * names the file, both hashes and the command that repairs it.
 */
public final class DataIntegrityException extends DataFetchException {
    private final Path file;
    private final String expectedSha256;
    private final String actualSha256;

    public DataIntegrityException(Path file, String expectedSha256, String actualSha256, String fixCommand) {
        super(describe(file, expectedSha256, actualSha256, fixCommand));
        this.file = file;
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    private static String describe(Path file, String expected, String actual, String fix) {
        String what = actual == null ? "missing data file " + file : "corrupt data file " + file;
        return what + ": expected sha256 " + expected + ", actual " + (actual == null ? "(no file)" : actual)
                + ". Fix: " + fix;
    }

    public Path file() {
        return file;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    /** The hash found on disk, or null when the file is missing. */
    public String actualSha256() {
        return actualSha256;
    }
}
