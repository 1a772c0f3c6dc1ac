package io.upcycle.bench.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.tasks.TaskData;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.trainer.network.BaseModel;
import io.upcycle.trainer.network.BasePretrainer;
import io.upcycle.trainer.network.BaseSettings;
import io.upcycle.trainer.SyntheticTasks;
import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.ExpertTrainer;
import io.upcycle.trainer.events.KafkaTrainingEvents;
import io.upcycle.trainer.TrainingResult;
import io.upcycle.trainer.TrainingSettings;
import io.upcycle.trainer.TrainingTimings;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.LocalStackExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A benchmark, not a timed test: the same run (same seed, data and steps) with events going
 * nowhere and with events published to the real broker, alternated, logged side by side. Besides
 * wall time per step (noisy on a shared 2-core machine) it reports CPU time: of the training
 * thread, and of the threads that publish (the publisher and the producer's network thread),
 * which does not depend on what else the machine runs. It asserts only that the runs finish.
 */
@ExtendWith(LocalStackExtension.class)
class PublishingCostIT {
    private static final Logger LOG = LoggerFactory.getLogger(PublishingCostIT.class);
    private static final int STEPS = Integer.getInteger("upcycle.bench.steps", 1000);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @TempDir
    Path home;

    @Test
    void shouldReportStepTimeWithAndWithoutPublishing(StackEndpoints stack) {
        // given a task the size of fortune-topic-6 (2,935 training examples, 6 classes) and a tiny base
        TaskData pretrain = SyntheticTasks.tinyPretrain();
        BaseModel base = new BasePretrainer(new BaseSettings(1, 1e-3f, 64, 0), home.resolve("base")).obtain(pretrain);
        TaskData task = SyntheticTasks.clusters("synthetic-topic", 6, 2935, 4, 3);
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl());
        Topics.ensureCreated(connection, 1);
        run(connection, task, base, "bench-warmup", false, 200);
        // when the same run goes without and with publishing, three times each, alternating
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n%-8s %8s %10s %10s %12s %14s %12s%n",
                "publish", "ms/step", "hand-over", "share", "train CPU", "publish CPU", "losses/s"));
        for (int round = 0; round < 3; round++) {
            for (boolean publish : new boolean[] {false, true}) {
                Measured m = run(connection, task, base, "bench-" + round + "-" + publish, publish, STEPS);
                TrainingTimings t = m.result().timings();
                table.append(String.format(Locale.ROOT, "%-8s %8.3f %10.4f %9.2f%% %9.3f ms %11.4f ms %12.0f%n", publish,
                        t.msPerStep(), t.publishMsPerStep(), 100 * t.publishShare(), m.trainCpuNanos() / 1e6 / t.steps(),
                        m.publishCpuNanos() / 1e6 / t.steps(), t.examplesPerSecond()));
                // then
                assertThat(m.result().endReason()).isEqualTo(EndReason.BUDGET_EXHAUSTED);
            }
        }
        LOG.info("publishing cost, {} steps of batch 64 per run (per-step columns):{}", STEPS, table);
    }

    private record Measured(TrainingResult result, long trainCpuNanos, long publishCpuNanos) {
    }

    private Measured run(KafkaConnection connection, TaskData task, BaseModel base, String runId, boolean publish, int steps) {
        TrainingSettings settings = new TrainingSettings(steps, 1e-3f, 64, 3, 32, new CheckpointSchedule(true, 256));
        ExpertTrainer.Builder builder = ExpertTrainer.builder().setRunId(runId).setTask(task).setBase(base)
                .setSettings(settings).setCheckpointStore(new CheckpointStore(home.resolve("checkpoints")));
        if (!publish) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            TrainingResult result = builder.build().train();
            return new Measured(result, THREADS.getCurrentThreadCpuTime() - cpu, 0);
        }
        try (KafkaTrainingEvents events = KafkaTrainingEvents.connect(connection)) {
            long publishCpu = publishingThreadsCpu();
            long cpu = THREADS.getCurrentThreadCpuTime();
            TrainingResult result = builder.optEvents(events).build().train();
            long trainCpu = THREADS.getCurrentThreadCpuTime() - cpu;
            events.flush();
            LOG.info("publisher thread CPU {} ms, producer network thread CPU {} ms over {} steps",
                    threadCpu("upcycle-event-publisher") / 1e6, threadCpu("kafka-producer-network-thread") / 1e6, steps);
            return new Measured(result, trainCpu, publishingThreadsCpu() - publishCpu);
        }
    }

    private static long threadCpu(String prefix) {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** CPU time of the live publisher and producer network threads. */
    private static long publishingThreadsCpu() {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("upcycle-event-publisher")
                    || info.getThreadName().startsWith("kafka-producer-network-thread"))) {
                total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
