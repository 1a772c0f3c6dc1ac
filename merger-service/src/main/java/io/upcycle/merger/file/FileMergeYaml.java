package io.upcycle.merger.file;

import io.upcycle.merger.engine.AdapterSpaceMerge;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.method.TrimScope;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A merge on files described by a small YAML plan, in the spirit of mergekit's configs
 * ({@code upcycle merge --config plan.yaml}); it yields the same {@link FileMergeArgs} as the flags.
 * SnakeYAML only composes the node tree (safe: no objects are constructed), so every error names
 * the file, the line and the key. Unknown keys, duplicate keys, a method the registry lacks, a
 * density for a method that reads none and per-model weights are refused.
 */
public final class FileMergeYaml {
    /** The format, for {@code upcycle merge --help}. */
    public static final String HELP = """
            YAML plan: upcycle merge --config plan.yaml
              the same merge on files from a mergekit-like plan (no other option or file on the command line);
              relative paths are resolved against the plan's folder; an unknown or repeated key is refused
              with its line:
                merge_method: ties              # required: a merge method above (moe_arrow: command line only)
                base_model: base.safetensors    # required
                models:                         # required: one or more experts, in this order
                  - model: expert-a.safetensors
                  - model: expert-b.safetensors
                parameters:                     # optional
                  lambda: 1.0                   # scaling of the combined task vector (default 1.0)
                  density: 0.2                  # only for methods that read a density (default: the method's)
                  trim_scope: tensor            # ties only: rank each tensor (default) or the whole task vector (global)
                seed: 0                         # optional: seed of DARE's masks, recorded (default 0)
                adapter_space: false            # optional: true merges LoRA adapters as factors (task_arithmetic, average)
                out: merged.safetensors         # required; the card goes beside it
              A model's own `parameters: {weight: w}` is refused: no method of this build weights experts.
            """;
    private static final Set<String> TOP = Set.of("merge_method", "base_model", "models", "parameters", "seed", "out",
            "adapter_space");
    private static final Set<String> PARAMETERS = Set.of("lambda", "density", MergeParameters.TRIM_SCOPE);
    private static final Set<String> MODEL = Set.of("model", "parameters");

    private final String source;

    private FileMergeYaml(String source) {
        this.source = source;
    }

    /** Reads the plan at {@code file}; relative paths in it are resolved against its folder. */
    public static FileMergeArgs read(Path file, MergeMethods methods) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read merge plan " + file + ": " + e.getMessage(), e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), folder, methods);
    }

    /** Parses plan {@code text} (named {@code source} in errors), resolving relative paths against {@code folder}. */
    public static FileMergeArgs parse(String text, String source, Path folder, MergeMethods methods) {
        return new FileMergeYaml(source).parse(text, folder, methods);
    }

    private FileMergeArgs parse(String text, Path folder, MergeMethods methods) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException("merge plan " + source + " line " + (e.getProblemMark().getLine() + 1)
                    + ": not valid YAML (" + e.getProblem() + ")", e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("merge plan " + source + ": not valid YAML (" + e.getMessage() + ")", e);
        }
        if (root == null) {
            throw new IllegalArgumentException("merge plan " + source + " is empty; it needs merge_method, base_model, models and out");
        }
        Map<String, Node> top = mapping(root, "the plan", TOP);
        for (String required : List.of("merge_method", "base_model", "models", "out")) {
            if (!top.containsKey(required)) {
                throw error(root, "missing key '" + required + "' (the plan needs merge_method, base_model, models and out)");
            }
        }
        Node methodNode = top.get("merge_method");
        String methodName = scalar(methodNode, "merge_method");
        if (!methods.names().contains(methodName)) {
            throw error(methodNode, "merge_method: unknown merge method '" + methodName + "'; known methods: " + methods.names());
        }
        MergeMethod method = methods.get(methodName);
        double lambda = 1.0;
        OptionalDouble density = OptionalDouble.empty();
        TrimScope trimScope = null;
        if (top.containsKey("parameters")) {
            Map<String, Node> parameters = mapping(top.get("parameters"), "parameters", PARAMETERS);
            if (parameters.containsKey("lambda")) {
                lambda = number(parameters.get("lambda"), "parameters.lambda");
            }
            if (parameters.containsKey("density")) {
                Node node = parameters.get("density");
                if (!method.reads(MergeParameters.DENSITY)) {
                    throw error(node, "parameters.density: method '" + methodName + "' reads no density");
                }
                density = OptionalDouble.of(number(node, "parameters.density"));
            }
            if (parameters.containsKey(MergeParameters.TRIM_SCOPE)) {
                Node node = parameters.get(MergeParameters.TRIM_SCOPE);
                if (!method.reads(MergeParameters.TRIM_SCOPE)) {
                    throw error(node, "parameters.trim_scope: method '" + methodName + "' does not trim by magnitude");
                }
                try {
                    trimScope = TrimScope.parse(scalar(node, "parameters.trim_scope"));
                } catch (IllegalArgumentException e) {
                    throw error(node, "parameters." + e.getMessage());
                }
            }
        }
        long seed = 0;
        if (top.containsKey("seed")) {
            String value = scalar(top.get("seed"), "seed");
            try {
                seed = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw error(top.get("seed"), "seed must be an integer, was '" + value + "'");
            }
        }
        boolean adapterSpace = false;
        if (top.containsKey("adapter_space")) {
            Node node = top.get("adapter_space");
            String value = scalar(node, "adapter_space");
            if (!value.equals("true") && !value.equals("false")) {
                throw error(node, "adapter_space must be true or false, was '" + value + "'");
            }
            adapterSpace = value.equals("true");
            if (adapterSpace) {
                try {
                    AdapterSpaceMerge.requireLinear(methodName);
                } catch (IllegalArgumentException e) {
                    throw error(node, "adapter_space: " + e.getMessage());
                }
            }
        }
        List<Path> experts = models(top.get("models"), methodName, folder);
        Path base = path(top.get("base_model"), "base_model", folder);
        Path out = path(top.get("out"), "out", folder);
        try {
            return new FileMergeArgs(methodName, base, out, experts, lambda, density, seed, adapterSpace, trimScope);
        } catch (IllegalArgumentException e) {
            throw error(root, e.getMessage());
        }
    }

    private List<Path> models(Node node, String methodName, Path folder) {
        if (!(node instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            throw error(node, "models must be a non-empty list of '- model: EXPERT.safetensors'");
        }
        List<Path> experts = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            String where = "models[" + i + "]";
            Map<String, Node> model = mapping(sequence.getValue().get(i), where, MODEL);
            if (!model.containsKey("model")) {
                throw error(sequence.getValue().get(i), where + ": missing key 'model' (the expert's safetensors file)");
            }
            if (model.containsKey("parameters")) {
                Map<String, Node> parameters = mapping(model.get("parameters"), where + ".parameters", Set.of("weight"));
                if (parameters.containsKey("weight")) {
                    throw error(parameters.get("weight"), where + ".parameters.weight: method '" + methodName
                            + "' takes no per-model weight (no method of this build weights experts); remove it");
                }
            }
            experts.add(path(model.get("model"), where + ".model", folder));
        }
        return experts;
    }

    /** The keys of a mapping node; an unknown or repeated key is refused with its line. */
    private Map<String, Node> mapping(Node node, String what, Set<String> known) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping of keys to values");
        }
        Map<String, Node> values = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = keyNode instanceof ScalarNode scalar ? scalar.getValue() : String.valueOf(keyNode.getTag());
            if (!known.contains(key)) {
                throw error(keyNode, "unknown key '" + key + "' in " + what + "; known keys: " + known.stream().sorted().toList());
            }
            if (!seen.add(key)) {
                throw error(keyNode, "key '" + key + "' appears twice in " + what);
            }
            values.put(key, tuple.getValueNode());
        }
        return values;
    }

    private String scalar(Node node, String key) {
        if (!(node instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL) || scalar.getValue().isBlank()) {
            throw error(node, key + " needs a value");
        }
        return scalar.getValue().strip();
    }

    private double number(Node node, String key) {
        String value = scalar(node, key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw error(node, key + " must be a number, was '" + value + "'");
        }
    }

    private Path path(Node node, String key, Path folder) {
        Path path = Path.of(scalar(node, key));
        return path.isAbsolute() || folder == null ? path : folder.resolve(path).normalize();
    }

    private IllegalArgumentException error(Node node, String message) {
        return new IllegalArgumentException("merge plan " + source + " line " + (node.getStartMark().getLine() + 1) + ": " + message);
    }
}
