package io.upcycle.model.tasks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the data rows of a dense ARFF file (Weka's text format): the lines after {@code @data},
 * one instance a line, values separated by commas, {@code %} lines comments. A value is bare or
 * quoted with {@code '} or {@code "}; inside quotes Weka's escapes are undone ({@code \n}, {@code \r},
 * {@code \t}, {@code \\}, {@code \'}, {@code \"}, {@code \%}, {@code \u001E}). Sparse rows
 * ({@code {...}}) are refused. Errors name the file and line.
 */
public final class ArffFile {
    private ArffFile() {
    }

    /** The rows of {@code file}, each a list of its values as strings. */
    public static List<List<String>> rows(Path file) {
        try {
            return rows(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ARFF file " + file, e);
        }
    }

    public static List<List<String>> rows(String content, String name) {
        List<List<String>> rows = new ArrayList<>();
        boolean inData = false;
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("%")) {
                continue;
            }
            if (!inData) {
                inData = line.toLowerCase(Locale.ROOT).startsWith("@data");
            } else if (line.startsWith("{")) {
                throw new IllegalArgumentException(name + " line " + (i + 1) + ": sparse ARFF rows are not supported");
            } else {
                rows.add(values(line, name, i + 1));
            }
        }
        if (!inData) {
            throw new IllegalArgumentException(name + " has no @data section");
        }
        return rows;
    }

    private static List<String> values(String line, String name, int lineNumber) {
        List<String> values = new ArrayList<>();
        int i = 0;
        while (true) {
            StringBuilder value = new StringBuilder();
            char quote = line.charAt(i);
            if (quote == '\'' || quote == '"') {
                i = quoted(line, i + 1, quote, value, name, lineNumber);
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? line.length() : comma;
                value.append(line, i, end);
                i = end;
            }
            values.add(quote == '\'' || quote == '"' ? value.toString() : value.toString().strip());
            if (i >= line.length()) {
                return values;
            }
            if (line.charAt(i) != ',') {
                throw new IllegalArgumentException(name + " line " + lineNumber + ": expected ',' at column " + (i + 1));
            }
            i++;
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= line.length()) {
                throw new IllegalArgumentException(name + " line " + lineNumber + ": missing value after the last ','");
            }
        }
    }

    /** Appends the unescaped content of a quoted value starting at {@code from}; returns the index after the closing quote. */
    private static int quoted(String line, int from, char quote, StringBuilder out, String name, int lineNumber) {
        int i = from;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == quote) {
                return i + 1;
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (line.startsWith("u001E", i + 1)) {
                out.append('\u001E');
                i += 6;
                continue;
            }
            char next = i + 1 < line.length() ? line.charAt(i + 1) : '?';
            switch (next) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '\\', '\'', '"', '%' -> out.append(next);
                default -> throw new IllegalArgumentException(name + " line " + lineNumber + ": unknown escape \\" + next
                        + " at column " + (i + 1));
            }
            i += 2;
        }
        throw new IllegalArgumentException(name + " line " + lineNumber + ": unterminated " + quote + "-quoted value");
    }
}
