package io.upcycle.monitor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Command-line arguments of {@code upcycle monitor}: {@code --config FILE} (a properties file),
 * then {@code --key=value}, {@code --key value} or {@code key=value} pairs that override it, in
 * order; {@code --help} prints the keys.
 */
final class MonitorArguments {
    private MonitorArguments() {
    }

    /** The configuration the arguments describe, or null after printing help. */
    static MonitorConfig parse(String[] args) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String word = arg.startsWith("--") ? arg.substring(2) : arg;
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.print("upcycle monitor [--config FILE] [--key=value | --key value | key=value ...]\n"
                        + MonitorConfigKeys.describe());
                return null;
            } else if (word.equals("config") && i + 1 < args.length) {
                values.putAll(load(Path.of(args[++i])));
            } else if (word.contains("=")) {
                values.put(word.substring(0, word.indexOf('=')).trim(), word.substring(word.indexOf('=') + 1).trim());
            } else if (arg.startsWith("--") && i + 1 < args.length) {
                values.put(word, args[++i].trim());
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; expected --config FILE, --key=value,"
                        + " --key value or key=value");
            }
        }
        return MonitorConfig.from(values);
    }

    private static Map<String, Object> load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file, e);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(name -> values.put(name, p.getProperty(name)));
        return values;
    }
}
