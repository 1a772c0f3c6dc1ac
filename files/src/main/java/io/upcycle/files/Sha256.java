package io.upcycle.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lower-case hex: the content address of every checkpoint, data file and fingerprint. */
public final class Sha256 {
    private static final int BUFFER = 1 << 20;

    private Sha256() {
    }

    /** Hashes the whole file in 1 MiB chunks (constant memory, whatever the file size). */
    public static String of(Path file) {
        MessageDigest digest = digest();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + ": " + e.getMessage(), e);
        }
        return hex(digest.digest());
    }

    /** Hash of bytes in memory. */
    public static String of(byte[] bytes) {
        return hex(digest().digest(bytes));
    }

    /** The raw 32 bytes of the hash of a text's UTF-8 bytes (e.g. the key of a cached embedding). */
    public static byte[] digestOf(String text) {
        return digest().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A new SHA-256 digest, for hashes built up in parts. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }

    /** {@code digest} as lower-case hex. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
