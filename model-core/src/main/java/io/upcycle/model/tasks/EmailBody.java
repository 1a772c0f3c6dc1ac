package io.upcycle.model.tasks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The body of a raw e-mail (RFC 822 as the SpamAssassin corpus stores it): everything after the
 * first blank line, the header block (mbox {@code From } line, {@code Received:}, continuation
 * lines, ...) dropped, stripped and clipped to {@link FortuneFile#MAX_CHARS}. The body is kept as
 * sent: MIME parts, quoted-printable, base64 and HTML are not decoded, as in the prototype that
 * picked the project's defaults.
 *
 * <p>Decoding: strict UTF-8, else ISO-8859-1 (about 500 of the corpus' 6,046 files are not UTF-8).
 */
public final class EmailBody {
    private EmailBody() {
    }

    /** The clipped body of the message in {@code file}; empty when the message has no body. */
    static String read(Path file) {
        try {
            return of(FortuneFile.decode(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read e-mail " + file, e);
        }
    }

    /** The clipped body of {@code message}. */
    public static String of(String message) {
        String text = message.replace("\r\n", "\n");
        int blank = text.startsWith("\n") ? 0 : text.indexOf("\n\n");
        if (blank < 0) {
            return "";
        }
        String body = text.substring(blank + (blank == 0 ? 1 : 2)).strip();
        return body.isEmpty() ? "" : FortuneFile.clip(body);
    }
}
