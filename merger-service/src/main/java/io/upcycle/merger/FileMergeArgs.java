package io.upcycle.merger;

import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.TrimScope;
import io.upcycle.model.checkpoint.Sha256;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The arguments of {@code upcycle merge} on files:
 * {@code --method NAME --base B.safetensors --out M.safetensors [--lambda L] [--density D] [--trim-scope tensor|global]
 * [--seed S] [--adapter-space] EXPERT.safetensors...}; {@code trimScope} is null unless given (the method's default).
 * Options take {@code --key value} or {@code --key=value}; {@code --adapter-space} alone means true (LoRA adapters merged
 * as factors, {@link AdapterSpaceMerge}); every other word is an expert file. {@code --method moe_arrow} upcycles
 * LoRA adapters into a mixture of experts instead ({@link MoeFileUpcycle}).
 * The Kafka keys the launcher may add from the environment are ignored. {@code --config plan.yaml}
 * alone reads the same arguments from a YAML plan ({@link FileMergeYaml}).
 */
public record FileMergeArgs(String method, Path base, Path out, List<Path> experts, double lambda,
                            OptionalDouble density, long seed, boolean adapterSpace, TrimScope trimScope) {
    /** Options that switch {@code upcycle merge} to the file mode. */
    static final Set<String> FILE_OPTIONS = Set.of("method", "base", "out", "config");
    private static final String ADAPTER_SPACE = "adapter-space";
    private static final Set<String> IGNORED = Set.of("bootstrap.servers", "schema.registry.url");

    public FileMergeArgs {
        experts = List.copyOf(experts);
        if (experts.isEmpty()) {
            throw new IllegalArgumentException("no expert files given: pass one or more EXPERT.safetensors after the options");
        }
    }

    /** Arguments with the method's default trim scope. */
    public FileMergeArgs(String method, Path base, Path out, List<Path> experts, double lambda, OptionalDouble density, long seed,
                         boolean adapterSpace) {
        this(method, base, out, experts, lambda, density, seed, adapterSpace, null);
    }

    /** A merge on the dense tensors (no {@code --adapter-space}). */
    public FileMergeArgs(String method, Path base, Path out, List<Path> experts, double lambda, OptionalDouble density, long seed) {
        this(method, base, out, experts, lambda, density, seed, false);
    }

    /** The sha256 of the base and of every expert file, by path, base first: what the card records. */
    public Map<Path, String> inputHashes() {
        Map<Path, String> hashes = new LinkedHashMap<>();
        hashes.put(base, Sha256.of(base));
        experts.forEach(expert -> hashes.put(expert, Sha256.of(expert)));
        return hashes;
    }

    /** Whether {@code args} ask for the file mode (they name --method, --base, --out or --config). */
    public static boolean applies(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("--") && FILE_OPTIONS.contains(key(arg))) {
                return true;
            }
        }
        return false;
    }

    /** Parses and validates the arguments; an error names the option. */
    public static FileMergeArgs parse(String[] args) {
        String method = null;
        Path base = null;
        Path out = null;
        String lambda = "1.0";
        String density = null;
        String trimScope = null;
        String seed = "0";
        boolean adapterSpace = false;
        List<Path> experts = new ArrayList<>();
        String config = null;
        List<String> others = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                experts.add(Path.of(arg));
                others.add(arg);
                continue;
            }
            String key = key(arg);
            if (arg.equals("--" + ADAPTER_SPACE)) {
                adapterSpace = true;
                others.add(arg);
                continue;
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
            if (!key.equals("config") && !IGNORED.contains(key)) {
                others.add("--" + key);
            }
            switch (key) {
                case "config" -> config = value;
                case "method" -> method = value;
                case "base" -> base = Path.of(value);
                case "out" -> out = Path.of(value);
                case "lambda" -> lambda = value;
                case "density" -> density = value;
                case "trim-scope" -> trimScope = value;
                case "seed" -> seed = value;
                case ADAPTER_SPACE -> adapterSpace = bool(value);
                default -> {
                    if (!IGNORED.contains(key)) {
                        throw new IllegalArgumentException("unknown option --" + key
                                + " for a merge on files; known: --method, --base, --out, --lambda, --density, --trim-scope, --seed,"
                                + " --adapter-space, --config");
                    }
                }
            }
        }
        if (config != null) {
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("--config takes the whole merge from the plan file; remove " + others
                        + " or put them in " + config);
            }
            return FileMergeYaml.read(Path.of(config), MergeMethods.defaults());
        }
        if (method == null || base == null || out == null) {
            List<String> missing = new ArrayList<>();
            if (method == null) {
                missing.add("--method");
            }
            if (base == null) {
                missing.add("--base");
            }
            if (out == null) {
                missing.add("--out");
            }
            throw new IllegalArgumentException("a merge on files needs --method, --base and --out; missing: " + String.join(", ", missing));
        }
        return new FileMergeArgs(method, base, out, experts, number("lambda", lambda),
                density == null ? OptionalDouble.empty() : OptionalDouble.of(number("density", density)), integer("seed", seed), adapterSpace,
                trimScope == null ? null : scope(trimScope));
    }

    private static String key(String arg) {
        String plain = arg.substring(2);
        int equals = plain.indexOf('=');
        return equals >= 0 ? plain.substring(0, equals) : plain;
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + option + " must be a number, was '" + value + "'");
        }
    }

    private static TrimScope scope(String value) {
        try {
            return TrimScope.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option --trim-scope must be tensor or global, was '" + value + "'");
        }
    }

    private static boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option --" + ADAPTER_SPACE + " must be true or false (or given alone), was '"
                    + value + "'");
        };
    }

    private static long integer(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + option + " must be an integer, was '" + value + "'");
        }
    }
}
