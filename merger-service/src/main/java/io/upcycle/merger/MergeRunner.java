package io.upcycle.merger;

import ai.djl.ndarray.NDManager;
import io.upcycle.merger.engine.ChunkedTensorMerge;
import io.upcycle.merger.engine.ExpertTensors;
import io.upcycle.merger.engine.TrunkMerge;
import io.upcycle.merger.eval.Accuracy;
import io.upcycle.merger.eval.Evaluator;
import io.upcycle.merger.eval.NetworkTensors;
import io.upcycle.merger.method.MergeMethod;
import io.upcycle.merger.method.MergeMethods;
import io.upcycle.merger.method.MergeParameters;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.merger.plan.PlanMethodRunner;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.DifficultyScore;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.TaskScore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * One merge, start to end, without Kafka: verifies and opens the base and expert checkpoints,
 * computes the trunk's task vectors tensor by tensor, in chunks, with the same math as a merge on
 * files ({@link TrunkMerge}), picks lambda on validation, scores every task on test (merged trunk +
 * the task's own head vs the expert alone) and on its training examples split by early difficulty
 * ({@link DifficultyScoring}), writes the merged safetensors and its card to the store, and returns
 * the {@link MergeCompleted} event to publish.
 *
 * <p>Held at once: the base trunk, its task vectors and the trunk at one lambda (whole, as the
 * evaluation needs them), each expert's standardization and head, one expert's own network while
 * it is scored, and (experts + 2) chunks while a task vector is computed.
 *
 * <p>An expert checkpoint may be a LoRA adapter of the plan's base: it is merged as its dense
 * expert ({@link ExpertTensors}), after checking that the adapter's recorded base is the plan's.
 */
public final class MergeRunner implements PlanMethodRunner {
    /** Event parameter: how lambda was searched ({@link LambdaGrid#describe()}). */
    public static final String LAMBDA_SEARCH = "lambda.search";
    /** Event parameter: every lambda tried, ascending. */
    public static final String LAMBDA_TRIED = "lambda.tried";
    /** Event parameter: {@code none}, or {@code low} / {@code high} when the chosen lambda is the lowest / highest tried. */
    public static final String LAMBDA_EDGE = "lambda.edge";
    private final CheckpointStore store;
    private final MergeMethods methods;
    private final TaskDataSource data;
    private final NDManager manager;
    private final String device;
    private final MergeOptions options;

    public MergeRunner(CheckpointStore store, MergeMethods methods, TaskDataSource data, NDManager manager,
                       String device, MergeOptions options) {
        this.store = store;
        this.methods = methods;
        this.data = data;
        this.manager = manager;
        this.device = device;
        this.options = options;
    }

    /** The merge methods of its registry. */
    @Override
    public List<String> methods() {
        return List.copyOf(methods.names());
    }

    /** Merges {@code experts} (one per run of {@code plan}, in the plan's order). */
    @Override
    public MergeResult run(MergePlan plan, List<ExpertCheckpoint> experts) {
        List<String> runs = experts.stream().map(ExpertCheckpoint::runId).toList();
        if (!runs.equals(plan.runIds())) {
            throw new IllegalArgumentException("plan '" + plan.planId() + "' merges runs " + plan.runIds() + " but got experts of " + runs);
        }
        MergeMethod method = methods.get(plan.method());
        Map<String, String> extra = new LinkedHashMap<>();
        options.density().ifPresent(d -> extra.put(MergeParameters.DENSITY, Double.toString(d)));
        if (options.trimScope() != null && method.reads(MergeParameters.TRIM_SCOPE)) {
            extra.put(MergeParameters.TRIM_SCOPE, options.trimScope().value());
        }
        // average reads no lambda: searching a grid would only rescale its mean task vector
        LambdaGrid lambdas = method.usesLambda() ? options.lambdas() : LambdaGrid.fixed(List.of(1.0));
        MergeParameters parameters = method.resolve(new MergeParameters(lambdas.start().get(0), options.seed(), extra));
        List<SafetensorsFile> files = new ArrayList<>();
        try (SafetensorsFile base = store.openVerified(plan.baseUri(), plan.baseSha256())) {
            List<ExpertTensors> views = new ArrayList<>();
            for (ExpertCheckpoint expert : experts) {
                files.add(store.openVerified(expert.uri(), expert.sha256()));
                views.add(ExpertTensors.of(files.get(files.size() - 1), base, plan.baseSha256()));
            }
            long mergeStart = System.nanoTime();
            ChunkedTensorMerge merger = new ChunkedTensorMerge(manager, method, parameters, ChunkedTensorMerge.DEFAULT_CHUNK);
            ExpertTensors baseTensors = ExpertTensors.of(base);
            Map<String, Tensor> deltas = TrunkMerge.taskVectors(merger, baseTensors, views, ExpertLayout.TRUNK);
            long mergeNanos = System.nanoTime() - mergeStart;
            Map<String, Tensor> baseTrunk = new LinkedHashMap<>();
            ExpertLayout.TRUNK.forEach(name -> baseTrunk.put(name, baseTensors.read(name)));
            DoubleFunction<Map<String, Tensor>> trunkAt =
                    lambda -> TrunkMerge.apply(manager, method, parameters.withLambda(lambda), baseTrunk, deltas);

            long evalStart = System.nanoTime();
            Evaluator evaluator = new Evaluator(manager, options.evalBatchSize());
            List<LambdaSearch.Candidate> candidates = candidates(experts, views, baseTrunk);
            LambdaSearch.Choice choice = LambdaSearch.choose(evaluator, trunkAt, candidates, lambdas);
            long evalNanos = System.nanoTime() - evalStart;

            mergeStart = System.nanoTime();
            Map<String, Tensor> merged = trunkAt.apply(choice.lambda());
            mergeNanos += System.nanoTime() - mergeStart;

            evalStart = System.nanoTime();
            DifficultyScoring difficulty = new DifficultyScoring(evaluator, options.difficulty());
            List<TaskScore> scores = score(evaluator, difficulty, candidates, experts, views, merged, base, plan.baseSha256());
            evalNanos += System.nanoTime() - evalStart;

            MergeParameters chosen = parameters.withLambda(choice.lambda());
            MergeOutput.Written written = MergeOutput.write(store, plan, experts, candidates, base, merged, chosen);
            MergeCompleted event = MergeCompleted.newBuilder()
                    .setMergeId(written.mergeId()).setPlanId(plan.planId()).setMethod(method.name())
                    .setParameters(plan.withPlanParameters(withSearch(chosen, lambdas, choice))).setTags(plan.tags())
                    .setSeed(options.seed()).setExperts(experts.stream().map(ExpertCheckpoint::toRef).toList())
                    .setBaseSha256(plan.baseSha256()).setOutputUri(written.output().uri())
                    .setOutputSha256(written.output().sha256()).setScores(scores)
                    .setMergeMillis(mergeNanos / 1_000_000).setEvalMillis(evalNanos / 1_000_000).setDevice(device)
                    .build();
            var card = MergeCard.write(written.card(), event, method.referenceUrl(), choice.meanValidation(),
                    written.output().sizeBytes(), plan.baseUri());
            return new MergeResult(event, written.output(), card, choice.lambda(), choice.meanValidation());
        } finally {
            files.forEach(SafetensorsFile::close);
        }
    }

    /**
     * Each expert's standardization and head on the base's trunk (the lambda search and the output
     * replace or ignore the trunk), so that no expert's own trunk is held through the search.
     */
    private List<LambdaSearch.Candidate> candidates(List<ExpertCheckpoint> experts, List<ExpertTensors> views,
                                                    Map<String, Tensor> baseTrunk) {
        Map<String, TaskData> byTask = new HashMap<>();
        List<LambdaSearch.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < experts.size(); i++) {
            TaskData task = byTask.computeIfAbsent(experts.get(i).task(), data::load);
            Map<String, Tensor> network = new HashMap<>(baseTrunk);
            for (String name : ExpertLayout.INPUT) {
                network.put(name, views.get(i).read(name));
            }
            for (String name : ExpertLayout.HEAD) {
                network.put(name, views.get(i).read(name));
            }
            candidates.add(new LambdaSearch.Candidate(new NetworkTensors(network), task));
        }
        return candidates;
    }

    private static List<TaskScore> score(Evaluator evaluator, DifficultyScoring difficulty, List<LambdaSearch.Candidate> candidates,
                                         List<ExpertCheckpoint> experts, List<ExpertTensors> views, Map<String, Tensor> merged,
                                         SafetensorsFile base, String baseSha256) {
        List<TaskScore> scores = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            LambdaSearch.Candidate candidate = candidates.get(i);
            // the expert's own network, read for its scores only: one expert's trunk at a time
            NetworkTensors own = views.get(i).network();
            NetworkTensors mergedNetwork = candidate.network().withTrunk(merged);
            Accuracy expert = evaluator.accuracy(own, candidate.data().test());
            Accuracy mergedAccuracy = evaluator.accuracy(mergedNetwork, candidate.data().test());
            double normalized = expert.value() == 0 ? 0.0 : mergedAccuracy.value() / expert.value();
            DifficultyScore split = difficulty.score(experts.get(i), base, baseSha256, own, mergedNetwork,
                    candidate.data().train()).orElse(null);
            scores.add(TaskScore.newBuilder().setTask(experts.get(i).task()).setMergedAccuracy(mergedAccuracy.value())
                    .setExpertAccuracy(expert.value()).setNormalizedAccuracy(normalized).setExamples(expert.examples())
                    .setDifficulty(split).build());
        }
        return scores;
    }

    private static Map<String, String> withSearch(MergeParameters chosen, LambdaGrid lambdas, LambdaSearch.Choice choice) {
        Map<String, String> all = new LinkedHashMap<>(chosen.asStrings());
        all.put(LAMBDA_SEARCH, lambdas.describe());
        all.put(LAMBDA_TRIED, choice.meanValidation().keySet().toString());
        all.put(LAMBDA_EDGE, choice.edge().label());
        all.put("lambda.selection", "mean validation accuracy");
        return all;
    }
}
