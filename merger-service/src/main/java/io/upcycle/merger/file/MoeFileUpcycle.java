package io.upcycle.merger.file;

import io.upcycle.files.Sha256;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.moe.ArrowMoeFile;
import io.upcycle.merger.moe.MoeOptions;
import io.upcycle.merger.moe.MoeUpcycler;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.checkpoint.CheckpointMetadata;
import io.upcycle.model.checkpoint.Safetensors;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code upcycle merge --method moe_arrow} on files: reads every input as a LoRA adapter of the base
 * (refusing a full checkpoint or an adapter of another base), upcycles them into a training-free
 * Arrow mixture of experts ({@link ArrowMoeFile}, top_k 1, {@code --seed} seeding the prototypes)
 * and writes it with its card. {@code moe_router} is refused here: its router trains on the tasks'
 * data, which only a merge plan of the service has. Every routed adapter acts at full scale, so the
 * card's lambda is 1.0; {@code --lambda}, {@code --density} and {@code --adapter-space} do not apply.
 */
final class MoeFileUpcycle {

    private MoeFileUpcycle() {
    }

    static FileMerge.Result run(FileMergeArgs args, String device) {
        long start = System.nanoTime();
        refuseOptions(args);
        Map<Path, String> hashes = args.inputHashes();
        List<LoraAdapter> adapters = AdapterSpaceFileMerge.readAdapters(args, hashes, "--method moe_arrow upcycles",
                "merge full checkpoints with a merge method instead");
        Map<String, Tensor> base = new LinkedHashMap<>();
        try (SafetensorsFile file = Safetensors.open(args.base())) {
            ExpertLayout.INPUT.forEach(name -> base.put(name, file.read(name)));
            ExpertLayout.TRUNK.forEach(name -> base.put(name, file.read(name)));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(CheckpointMetadata.BASE_SHA256, hashes.get(args.base()));
        for (int i = 0; i < args.experts().size(); i++) {
            metadata.put("upcycle.expert." + i, "sha256:" + hashes.get(args.experts().get(i)));
        }
        MoeOptions defaults = MoeOptions.defaults();
        MoeOptions options = new MoeOptions(defaults.topK(), args.seed(), defaults.routerEpochs(), defaults.routerLearningRate(),
                defaults.evalBatchSize());
        long buildStart = System.nanoTime();
        ArrowMoeFile.Written written = ArrowMoeFile.write(args.out(), base, adapters, options, metadata);
        long buildMillis = (System.nanoTime() - buildStart) / 1_000_000;
        FileMerge.Result result = new FileMerge.Result(args.out(), Sha256.of(args.out()), FileMerge.cardPath(args.out()),
                new MergeParameters(1.0, args.seed(), written.parameters()), written.routerTensors(),
                written.tensors() - written.routerTensors(), buildMillis, (System.nanoTime() - start) / 1_000_000);
        FileMergeCard.write(result, MoeUpcycler.ARROW, ArrowMoeFile.REFERENCE_URL, hashes, args, args.out().toFile().length(),
                device);
        return result;
    }

    private static void refuseOptions(FileMergeArgs args) {
        if (args.method().equals(MoeUpcycler.ROUTER)) {
            throw new IllegalArgumentException("--method " + MoeUpcycler.ROUTER + " trains its router on the tasks' training data,"
                    + " which a merge on files does not have; use --method " + MoeUpcycler.ARROW + " (training-free) here, or a"
                    + " merge plan of the merger service (plan.methods or a MergeRequested event) for " + MoeUpcycler.ROUTER);
        }
        if (args.adapterSpace() || args.density().isPresent() || args.trimScope() != null || args.lambda() != 1.0) {
            throw new IllegalArgumentException("--method " + MoeUpcycler.ARROW + " takes no --lambda, --density, --trim-scope or --adapter-space:"
                    + " each routed adapter acts at full scale, as trained");
        }
    }
}
