package io.upcycle.merger.file;

import io.upcycle.merger.engine.TensorFlowEngine;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.TrimScope;
import io.upcycle.merger.moe.ArrowMoeFile;
import io.upcycle.merger.moe.MoeUpcycler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code upcycle merge}: merges safetensors files on the TF engine, no Kafka, from options or a YAML plan. */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Merge expert files, no Kafka (or upcycle LoRA adapter files into a mixture of experts).",
            "Every tensor of the base is merged (each expert must hold it with the same shape); tensors only an expert holds"
                    + " are copied as experts.<i>.<name>; only float tensors. A LoRA adapter takes part as its dense expert"
                    + " W + (alpha/r) B A.",
            "Writes M.safetensors and the card M.json (method, parameters, seed, inputs' sha256, timings)."})
public final class MergeFilesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--method", paramLabel = "NAME", description = "merge method (below)")
    String method;
    @Option(names = "--base", paramLabel = "B.safetensors", description = "the pretrained base")
    Path base;
    @Option(names = "--out", paramLabel = "M.safetensors", description = "the merged file to write (and its card M.json)")
    Path out;
    @Option(names = "--lambda", paramLabel = "L", defaultValue = "1.0", description = "scale of the merged task vector (default: 1.0)")
    double lambda;
    @Option(names = "--density", paramLabel = "D", description = "fraction kept by ties and dare_* in (0, 1] (default: the method's)")
    Double density;
    @Option(names = "--trim-scope", paramLabel = "tensor|global", description = "ties ranks each tensor on its own (tensor, the"
            + " default, as mergekit) or each expert's whole task vector (global, as the TIES paper) when keeping the top density")
    String trimScope;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of random choices (dare, moe_arrow's prototypes)")
    long seed;
    @Option(names = "--adapter-space", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "LoRA adapters only, task_arithmetic or average: the output is one LoRA adapter of rank sum(r_i), exact,"
                    + " with B = [B_1|B_2|...] and A = [c_1 A_1; c_2 A_2; ...], c_i = lambda alpha_i / r_i; every task's head is"
                    + " kept as experts.<i>.head.weight/bias")
    String adapterSpace;
    @Option(names = "--config", paramLabel = "PLAN.yaml", description = "take the whole merge from a mergekit-like YAML plan")
    Path plan;
    @Parameters(paramLabel = "EXPERT.safetensors", description = "the experts (full checkpoints or LoRA adapters)")
    List<Path> experts = new ArrayList<>();

    /** The footer's methods and YAML format, filled in when the command line is built. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new MergeFilesCommand());
        line.getCommandSpec().usageMessage().footer("", "Methods:", methods(), "YAML plan (--config):",
                FileMergeYaml.HELP.replace("%", "%%"));
        return line;
    }

    /** The merge {@code args} ask for, without running it; an error names the option. */
    public static FileMergeArgs parse(String... args) {
        CommandLine line = commandLine();
        line.parseArgs(args);
        return ((MergeFilesCommand) line.getCommand()).request();
    }

    /** What the parsed options ask for. */
    FileMergeArgs request() {
        if (plan != null) {
            List<String> others = new ArrayList<>();
            spec.commandLine().getParseResult().matchedOptions().stream().map(o -> o.longestName())
                    .filter(name -> !name.equals("--config")).forEach(others::add);
            experts.forEach(expert -> others.add(expert.toString()));
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("--config takes the whole merge from the plan file; remove " + others
                        + " or put them in " + plan);
            }
            return FileMergeYaml.read(plan, MergeMethods.defaults());
        }
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
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("a merge on files needs --method, --base and --out; missing: " + String.join(", ", missing));
        }
        return new FileMergeArgs(method, base, out, experts, lambda, density == null ? OptionalDouble.empty() : OptionalDouble.of(density),
                seed, adapterSpace(), trimScope == null ? null : trimScope());
    }

    private boolean adapterSpace() {
        if (adapterSpace == null) {
            return false;
        }
        return switch (adapterSpace) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option --adapter-space must be true or false (or given alone), was '"
                    + adapterSpace + "'");
        };
    }

    private TrimScope trimScope() {
        try {
            return TrimScope.parse(trimScope);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option --trim-scope must be tensor or global, was '" + trimScope + "'");
        }
    }

    @Override
    public Integer call() {
        FileMerge.Result result = run(request());
        System.out.println("merged " + result.mergedTensors() + " tensors (" + result.copiedTensors() + " copied) with "
                + result.parameters().asStrings() + " in " + result.mergeMillis() + " ms: " + result.output());
        System.out.println("card: " + result.card());
        return 0;
    }

    /** Merges files as {@code args} say on the TF engine: no Kafka, no checkpoint store. */
    public static FileMerge.Result run(FileMergeArgs args) {
        TensorFlowEngine tf = TensorFlowEngine.load();
        try (var manager = tf.engine().newBaseManager()) {
            return FileMerge.run(args, MergeMethods.defaults(), manager, tf.deviceName());
        }
    }

    /** One line per method: name, reference and parameters with their defaults. */
    static String methods() {
        StringBuilder text = new StringBuilder();
        MergeMethods methods = MergeMethods.defaults();
        for (String name : methods.names()) {
            var method = methods.get(name);
            text.append(String.format("  %-16s %s  parameters: %s%n", name, method.referenceUrl(), method.parameters().stream()
                    .map(p -> p.name() + "=" + p.defaultValue()).toList()));
        }
        text.append(String.format("  %-16s %s  LoRA adapters -> MoE, training-free Arrow router, top_k=1: the base's trunk,"
                + " each adapter as experts.<i>.trunk.<l>.lora_A/B.weight with its head, per layer router.trunk.<l>.prototypes;"
                + " no --lambda, --density, --trim-scope or --adapter-space%n", MoeUpcycler.ARROW, ArrowMoeFile.REFERENCE_URL));
        text.append(String.format("  %-16s LoRA adapters -> MoE, softmax-regression router trained on the tasks' training data,"
                + " top_k=1 (merge plans of upcycle merger only)%n", MoeUpcycler.ROUTER));
        return text.toString().replace("%", "%%");
    }
}
