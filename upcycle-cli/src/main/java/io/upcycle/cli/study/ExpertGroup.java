package io.upcycle.cli.study;

import io.upcycle.cli.report.StudyTags;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.TrainerConfig;
import io.upcycle.trainer.TrainerService;
import io.upcycle.trainer.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One expert per task for one fine-tuning mode, seed and pass of a study, trained concurrently and
 * streamed to Kafka; run ids and RunStarted labels say where each run belongs.
 *
 * @param studyId the study
 * @param pass {@code observe} or {@code enforce}
 * @param mode {@code FULL} or {@code LORA}
 * @param seed seed of head init, adapter init and data order
 */
record ExpertGroup(String studyId, String pass, String mode, long seed) {
    /** A checkpoint within 1/16 of any step, so that each rule's stop merges (nearly) the step it decided. */
    static final int CHECKPOINTS_PER_OCTAVE = 16;
    /** How often a group's training prints its progress. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

    /** The run id of {@code task}'s expert in this group. */
    String runId(String task) {
        return studyId + "-" + pass + "-" + mode.toLowerCase(Locale.ROOT) + "-s" + seed + "-" + task;
    }

    /** The run ids, in task order. */
    List<String> runIds(List<String> tasks) {
        return tasks.stream().map(this::runId).toList();
    }

    /** The group's name in progress lines and plan ids: {@code observe/FULL/seed 1}. */
    String label() {
        return pass + "/" + mode + "/seed " + seed;
    }

    /**
     * Trains every task's expert at once and returns their results in task order; {@code heads} gives
     * each task's frozen start-head file, or is empty for new trained heads.
     */
    List<TrainingResult> train(Map<String, TaskData> tasks, BaseModel base, StudyOptions options, KafkaConnection connection,
                               Map<String, Path> heads, PrintStream progress) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size(), r -> new Thread(r, "upcycle-study-trainer"));
        List<String> runIds = tasks.keySet().stream().map(this::runId).toList();
        try (TrainingProgress ignored = new TrainingProgress(connection, runIds, options.steps(), progress, PROGRESS_EVERY)) {
            List<Future<TrainingResult>> futures = new ArrayList<>();
            tasks.forEach((task, data) -> {
                TrainerConfig config = config(task, options, connection, heads.get(task));
                futures.add(pool.submit(() -> TrainerService.run(config, data, base)));
            });
            List<TrainingResult> results = new ArrayList<>();
            for (Future<TrainingResult> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private TrainerConfig config(String task, StudyOptions options, KafkaConnection connection, Path head) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("task", task);
        values.put("run.id", runId(task));
        values.put("steps", Long.toString(options.steps()));
        values.put("lr", Float.toString(options.learningRate()));
        values.put("seed", Long.toString(seed));
        values.put("mode", mode);
        values.put("lora.rank", Integer.toString(options.loraRank()));
        values.put("checkpoints.per.octave", Integer.toString(CHECKPOINTS_PER_OCTAVE));
        values.putAll(connection.configValues());
        values.put("resume", "false");
        if (head != null) {
            values.put("head", head.toString());
            values.put("train.head", "false");
        }
        values.put("labels", "study.id=" + studyId + ",study.pass=" + pass + ",study.mode=" + mode + ",study.seed=" + seed
                + "," + StudyTags.HEADS + "=" + options.heads());
        return TrainerConfig.from(values);
    }
}
