package io.upcycle.merger.moe;

import ai.djl.ndarray.NDManager;
import io.upcycle.merger.ExpertCheckpoint;
import io.upcycle.merger.engine.ExpertTensors;
import io.upcycle.merger.MergeIds;
import io.upcycle.merger.plan.MergePlan;
import io.upcycle.merger.MergeResult;
import io.upcycle.merger.plan.PlanMethodRunner;
import io.upcycle.merger.TaskDataSource;
import io.upcycle.merger.eval.Accuracy;
import io.upcycle.merger.eval.Evaluator;
import io.upcycle.model.ExpertLayout;
import io.upcycle.model.LoraAdapter;
import io.upcycle.model.LoraLayout;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.Tensor;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.TaskScore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upcycles N LoRA adapters of one base (one per task) into a mixture of experts, the MoE
 * counterpart of {@link io.upcycle.merger.MergeRunner}: at each target layer
 * {@code y = relu(W0 x + b0 + Σ_{i ∈ topK(x)} g_i(x) (alpha/r) B_i A_i x)} ({@link MoeLayer}), each
 * task keeping its own head. Routers: {@code moe_arrow} (training-free Arrow prototypes,
 * {@link ArrowRouter}) and {@code moe_router} (a softmax-regression router per layer trained to
 * predict the task, {@link RouterTraining}). The math is plain Java: the trunk is tiny.
 *
 * <p>Scores every task on test (MoE trunk + the task's head vs the dense expert alone, evaluated
 * on the engine by {@link Evaluator}), records per task and layer the routing accuracy in the
 * event's parameters ({@code routing.<task>.trunk.0}), writes the MoE with {@link MoeOutput} and
 * returns the {@link MergeCompleted} event. {@link MergeResult#lambda()} is NaN: no lambda is searched.
 */
public final class MoeUpcycler implements PlanMethodRunner {
    public static final String ARROW = "moe_arrow";
    public static final String ROUTER = "moe_router";
    public static final List<String> METHODS = List.of(ARROW, ROUTER);

    private final CheckpointStore store;
    private final TaskDataSource data;
    private final NDManager manager;
    private final String device;
    private final MoeOptions options;

    public MoeUpcycler(CheckpointStore store, TaskDataSource data, NDManager manager, String device, MoeOptions options) {
        this.store = store;
        this.data = data;
        this.manager = manager;
        this.device = device;
        this.options = options;
    }

    @Override
    public List<String> methods() {
        return METHODS;
    }

    /** Upcycles {@code adapters} (one per run of {@code plan}, in the plan's order); refuses full checkpoints and foreign adapters. */
    @Override
    public MergeResult run(MergePlan plan, List<ExpertCheckpoint> adapters) {
        if (!METHODS.contains(plan.method())) {
            throw new IllegalArgumentException("plan '" + plan.planId() + "' asks for method '" + plan.method()
                    + "', which is no MoE method; known: " + String.join(", ", METHODS));
        }
        List<String> runs = adapters.stream().map(ExpertCheckpoint::runId).toList();
        if (!runs.equals(plan.runIds())) {
            throw new IllegalArgumentException("plan '" + plan.planId() + "' upcycles runs " + plan.runIds() + " but got adapters of " + runs);
        }
        if (options.topK() > adapters.size()) {
            throw new IllegalArgumentException("top_k " + options.topK() + " exceeds the plan's " + adapters.size() + " experts");
        }
        List<SafetensorsFile> files = new ArrayList<>();
        try (SafetensorsFile base = store.openVerified(plan.baseUri(), plan.baseSha256())) {
            Map<String, Tensor> baseTensors = new LinkedHashMap<>();
            ExpertLayout.INPUT.forEach(name -> baseTensors.put(name, base.read(name)));
            ExpertLayout.TRUNK.forEach(name -> baseTensors.put(name, base.read(name)));
            List<LoraAdapter> loras = new ArrayList<>();
            List<ExpertTensors> dense = new ArrayList<>();
            for (ExpertCheckpoint checkpoint : adapters) {
                SafetensorsFile file = store.openVerified(checkpoint.uri(), checkpoint.sha256());
                files.add(file);
                loras.add(adapterOf(file, checkpoint));
                dense.add(ExpertTensors.of(file, base, plan.baseSha256()));
            }
            Map<String, TaskData> byTask = new HashMap<>();
            List<TaskData> tasks = adapters.stream().map(a -> byTask.computeIfAbsent(a.task(), data::load)).toList();

            long buildStart = System.nanoTime();
            MoeTrunk trunk = build(plan.method(), baseTensors, loras, tasks);
            long buildNanos = System.nanoTime() - buildStart;

            long evalStart = System.nanoTime();
            Map<String, String> parameters = describe(plan.method(), options);
            List<TaskScore> scores = score(trunk, adapters, loras, dense, tasks, parameters);
            long evalNanos = System.nanoTime() - evalStart;

            // the id hashes the method's settings, not the measured routing accuracies added to parameters
            String mergeId = MergeIds.of(plan, adapters, describe(plan.method(), options));
            MoeOutput.Written written = MoeOutput.write(store, mergeId, plan, adapters, loras, baseTensors, trunk.routers(), parameters);
            MergeCompleted event = MergeCompleted.newBuilder()
                    .setMergeId(written.mergeId()).setPlanId(plan.planId()).setMethod(plan.method())
                    .setParameters(plan.withPlanParameters(parameters)).setTags(plan.tags()).setSeed(options.seed())
                    .setExperts(adapters.stream().map(ExpertCheckpoint::toRef).toList())
                    .setBaseSha256(plan.baseSha256()).setOutputUri(written.output().uri())
                    .setOutputSha256(written.output().sha256()).setScores(scores)
                    .setMergeMillis(buildNanos / 1_000_000).setEvalMillis(evalNanos / 1_000_000).setDevice(device)
                    .build();
            return new MergeResult(event, written.output(), MoeOutput.card(written.output(), event), Double.NaN, Map.of());
        } finally {
            files.forEach(SafetensorsFile::close);
        }
    }

    /** {@code adapter}, refused naming {@code source} unless it adapts every layer of {@link LoraLayout#TARGETS}. */
    static LoraAdapter requireEveryLayer(LoraAdapter adapter, String source) {
        if (!adapter.targets().containsAll(LoraLayout.TARGETS)) {
            throw new IllegalArgumentException("LoRA adapter " + source + " targets " + adapter.targets()
                    + " but MoE upcycling needs every layer of " + LoraLayout.TARGETS);
        }
        return adapter;
    }

    private static LoraAdapter adapterOf(SafetensorsFile file, ExpertCheckpoint checkpoint) {
        if (!ExpertTensors.isLora(file)) {
            throw new IllegalArgumentException("checkpoint " + file.path() + " of run " + checkpoint.runId()
                    + " is not a LoRA adapter (metadata " + LoraLayout.META_PEFT_TYPE + " = "
                    + file.metadata().get(LoraLayout.META_PEFT_TYPE) + "); MoE upcycling routes between LoRA adapters of one base");
        }
        return requireEveryLayer(LoraAdapter.read(file), file.path().toString());
    }

    private MoeTrunk build(String method, Map<String, Tensor> base, List<LoraAdapter> loras, List<TaskData> tasks) {
        List<List<LowRankUpdate>> updates = MoeBuild.updates(loras);
        return ARROW.equals(method)
                ? MoeBuild.arrow(base, updates, options.topK(), options.seed())
                : MoeBuild.trained(base, updates, tasks.stream().map(TaskData::train).toList(), options);
    }

    private List<TaskScore> score(MoeTrunk trunk, List<ExpertCheckpoint> adapters, List<LoraAdapter> loras,
                                  List<ExpertTensors> dense, List<TaskData> tasks, Map<String, String> parameters) {
        Evaluator evaluator = new Evaluator(manager, options.evalBatchSize());
        boolean tasksRepeat = adapters.stream().map(ExpertCheckpoint::task).distinct().count() != adapters.size();
        List<TaskScore> scores = new ArrayList<>();
        for (int i = 0; i < adapters.size(); i++) {
            LoraAdapter lora = loras.get(i);
            MoeScoring.TaskResult moe = MoeScoring.score(trunk, lora.headWeight().data(), lora.headBias().data(), tasks.get(i).test(), i);
            Accuracy expert = evaluator.accuracy(dense.get(i).network(), tasks.get(i).test());
            double normalized = expert.value() == 0 ? 0.0 : moe.accuracy().value() / expert.value();
            String key = tasksRepeat ? adapters.get(i).runId() : adapters.get(i).task();
            for (int l = 0; l < LoraLayout.TARGETS.size(); l++) {
                parameters.put("routing." + key + "." + LoraLayout.TARGETS.get(l), Double.toString(moe.routingByLayer()[l]));
            }
            scores.add(TaskScore.newBuilder().setTask(adapters.get(i).task()).setMergedAccuracy(moe.accuracy().value())
                    .setExpertAccuracy(expert.value()).setNormalizedAccuracy(normalized).setExamples(expert.examples())
                    .setDifficulty(null).build());
        }
        return scores;
    }

    /** What the event and file record about the method (routing accuracies are added after scoring). */
    static Map<String, String> describe(String method, MoeOptions options) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("top_k", Integer.toString(options.topK()));
        parameters.put("gating", "softmax over the top-k router logits");
        parameters.put("layers", String.join(",", LoraLayout.TARGETS));
        if (ARROW.equals(method)) {
            parameters.put("router", "arrow: logit_i = |<v_i, x>|, v_i = top right singular vector of (alpha/r) B_i A_i");
            parameters.put("router.prototype", "power iteration on A^T B^T B A, seeded start");
        } else {
            parameters.put("router", "linear: logits = W_r x + b_r, softmax regression on the task id");
            parameters.put("router.epochs", Integer.toString(options.routerEpochs()));
            parameters.put("router.learning_rate", Double.toString(options.routerLearningRate()));
            parameters.put("router.training_data", "every expert's task training split, task-balanced");
            parameters.put("router.layer_input", "trunk.0: standardized embedding; trunk.1: output of the MoE trunk.0 under its trained router");
        }
        parameters.put("router.seed", Long.toString(options.seed()));
        return parameters;
    }
}
