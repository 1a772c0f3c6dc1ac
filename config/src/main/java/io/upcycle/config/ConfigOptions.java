package io.upcycle.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Binds a {@link ConfigSpec} to a picocli command: one option per key, spelled in kebab case
 * ({@code batch.size} is {@code --batch-size}, as every flag of every command; help,
 * typo suggestions and completion come from picocli), {@code --config FILE} (properties or YAML: {@link ConfigFile})
 * and {@code --set KEY=VALUE} for the keys under an open prefix. Where a value comes from, last
 * wins: the default, the file, the environment ({@link ConfigSpec#environmentName}), {@code --set},
 * then the key's own flag.
 */
public final class ConfigOptions {
    static final String CONFIG = "--config";
    static final String SET = "--set";

    private ConfigOptions() {
    }

    /** Adds the options of {@code config} to {@code command}. */
    public static void addTo(CommandSpec command, ConfigSpec config) {
        for (ConfigDef.ConfigKey key : config.keys()) {
            command.addOption(OptionSpec.builder(flag(key.name)).paramLabel(paramLabel(key)).type(String.class)
                    .description(key.documentation + " (default: " + ConfigSpec.defaultText(key) + "; env "
                            + ConfigSpec.environmentName(key.name) + ")")
                    .build());
        }
        command.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(Path.class)
                .description("a file of keys: properties (key=value per line) or YAML (.yaml/.yml: nested keys join with dots,"
                        + " lists with commas); other options override it").build());
        String open = config.prefixes().isEmpty() ? "" : " Open prefixes: " + String.join("; ",
                config.prefixes().entrySet().stream().map(e -> e.getKey() + "*: " + e.getValue()).toList());
        command.addOption(OptionSpec.builder(SET).paramLabel("KEY=VALUE").type(Map.class).auxiliaryTypes(String.class, String.class)
                .description("any key, repeatable (e.g. --set " + config.keys().iterator().next().name + "=...)." + open).build());
    }

    /** The values the command line, its file and {@code environment} give, in the order of precedence. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> values(CommandSpec command, ConfigSpec config, Map<String, String> environment) {
        Map<String, Object> values = new LinkedHashMap<>();
        Path file = command.findOption(CONFIG).getValue();
        if (file != null) {
            values.putAll(ConfigFile.load(file));
        }
        values.putAll(config.fromEnvironment(environment));
        Map<String, String> set = command.findOption(SET).getValue();
        if (set != null) {
            values.putAll(set);
        }
        for (ConfigDef.ConfigKey key : config.keys()) {
            String value = command.findOption(flag(key.name)).getValue();
            if (value != null) {
                values.put(key.name, value);
            }
        }
        return values;
    }

    /** The parsed configuration the command line gives. */
    public static ConfigValues parse(CommandSpec command, ConfigSpec config, Map<String, String> environment) {
        return config.parse(values(command, config, environment));
    }

    /** The command-line flag of config key {@code key}: {@code batch.size} is {@code --batch-size}. */
    public static String flag(String key) {
        return "--" + key.replace('.', '-');
    }

    private static String paramLabel(ConfigDef.ConfigKey key) {
        return switch (key.type) {
            case BOOLEAN -> "true|false";
            case INT, LONG, SHORT -> "N";
            case DOUBLE -> "X";
            case LIST -> "A,B,...";
            default -> "VALUE";
        };
    }
}
