package io.upcycle.model.tasks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a fortune file (strfile's source format): entries separated by lines that hold only
 * {@code %}. Entries are trimmed, blank ones dropped, and each is clipped to {@link #MAX_CHARS}.
 *
 * A line holding {@code %} plus trailing blanks (a few files have them) separates too.
 *
 * <p>Decoding: strict UTF-8 first; a file that is not valid UTF-8 is decoded with the legacy
 * charset its language used before UTF-8 (ISO-8859-1, ISO-8859-2, KOI8-R). Every file of the
 * pinned packages is valid UTF-8 today (checked byte by byte), so the fallback only matters
 * if a future manifest pins an older encoding.
 */
public final class FortuneFile {
    /** Texts are clipped to this many characters (the sentence encoder reads ~256 word pieces). */
    public static final int MAX_CHARS = 1_500;

    private FortuneFile() {
    }

    /** Entries of {@code file}, decoded as described above. */
    public static List<String> read(Path file, Charset legacyCharset) {
        try {
            return parse(decode(Files.readAllBytes(file), legacyCharset));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fortune file " + file, e);
        }
    }

    /** Strict UTF-8, or {@code legacyCharset} when the bytes are not valid UTF-8. */
    public static String decode(byte[] bytes, Charset legacyCharset) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, legacyCharset);
        }
    }

    /** Splits on {@code %} lines; trims, drops blank entries, clips long ones. */
    public static List<String> parse(String content) {
        List<String> entries = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : content.replace("\r\n", "\n").split("\n", -1)) {
            if (line.strip().equals("%")) { // some files leave spaces or a CR after the %
                add(entries, current);
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        add(entries, current);
        return entries;
    }

    private static void add(List<String> entries, CharSequence raw) {
        String text = raw.toString().strip();
        if (!text.isEmpty()) {
            entries.add(clip(text));
        }
    }

    /** At most {@link #MAX_CHARS} characters (trailing blanks of the cut dropped), never cutting a surrogate pair in half. */
    public static String clip(String text) {
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return text.substring(0, end).stripTrailing();
    }
}
