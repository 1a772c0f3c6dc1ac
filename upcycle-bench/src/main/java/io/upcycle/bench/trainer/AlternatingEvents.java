package io.upcycle.bench.trainer;

import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import io.upcycle.schemas.avro.StepMetrics;
import io.upcycle.trainer.events.TrainingEvents;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishing switched on and off in blocks of steps within one training run, each block timed:
 * the benchmark's paired comparison. Adjacent blocks differ only in where the events go, so slow
 * drift of the machine's speed cancels, and neither block pays any start-up.
 *
 * <p>After {@code warmupSteps} (published, not measured), blocks of {@code blockSteps} come in
 * pairs, the first pair publishing then not, the next not then publishing (ABBA, so that a steady
 * drift cancels too). A step's time runs from the end of the previous step's hook to the end of
 * its own: the step's computation, evaluation and checkpoint hand-off, and in a publishing block
 * the hand-over of its events. The bookkeeping at a block's end is outside every block: the
 * training thread's, the publishing threads' and the process's CPU are read there, and a publishing block's
 * events are flushed there, so that the next block starts with none in flight (the last linger
 * window of each publishing block is therefore sent untimed: the estimate may be low by that
 * window's share of a block).
 *
 * <p>The training loop calls the step hooks from one thread; {@link #onCheckpoint} comes from the
 * checkpoint writer and only reads the current mode.
 */
final class AlternatingEvents implements TrainingEvents {
    private final TrainingEvents kafka;
    private final long warmupSteps;
    private final long blockSteps;
    private final PublishingCpu publishingCpu;
    private final List<BenchBlock> blocks = new ArrayList<>();
    private volatile boolean publishing = true;
    private long lastEnd;
    private long wall;
    private long handOver;
    private long steps;
    private long trainCpuStart;
    private long publishCpuStart;
    private long processCpuStart;

    AlternatingEvents(TrainingEvents kafka, long warmupSteps, long blockSteps, PublishingCpu publishingCpu) {
        if (blockSteps < 1 || warmupSteps < 1) {
            throw new IllegalArgumentException("blockSteps and warmupSteps must be >= 1, got " + blockSteps + " and " + warmupSteps);
        }
        this.kafka = kafka;
        this.warmupSteps = warmupSteps;
        this.blockSteps = blockSteps;
        this.publishingCpu = publishingCpu;
    }

    /** Whether block {@code index} (0-based, after the warm-up) publishes: ABBA order. */
    static boolean publishes(long index) {
        return (index % 2 == 0) == ((index / 2) % 2 == 0);
    }

    @Override
    public void onRunStarted(RunStarted started, long timestampMs) {
        kafka.onRunStarted(started, timestampMs);
    }

    @Override
    public void onStep(StepMetrics metrics, ExampleLosses losses, long timestampMs) {
        long begin = System.nanoTime();
        if (publishing) {
            kafka.onStep(metrics, losses, timestampMs);
        }
        long end = System.nanoTime();
        long step = metrics.getStep();
        if (step > warmupSteps && lastEnd != 0) {
            wall += end - lastEnd;
            handOver += end - begin;
            steps++;
        }
        if (step >= warmupSteps && (step - warmupSteps) % blockSteps == 0) {
            endBlock(step);
        }
        lastEnd = System.nanoTime();
    }

    @Override
    public void onExampleLosses(ExampleLosses losses, long timestampMs) {
        if (publishing) {
            kafka.onExampleLosses(losses, timestampMs);
        }
    }

    @Override
    public void onCheckpoint(CheckpointSaved saved, long timestampMs) {
        if (publishing) {
            kafka.onCheckpoint(saved, timestampMs);
        }
    }

    @Override
    public void onRunEnded(RunEnded ended, long timestampMs) {
        kafka.onRunEnded(ended, timestampMs);
    }

    @Override
    public void flush() {
        kafka.flush();
    }

    /** The measured blocks, in order; only complete ones. */
    List<BenchBlock> blocks() {
        return List.copyOf(blocks);
    }

    private void endBlock(long step) {
        long trainCpu = PublishingCpu.currentThread();
        long publishCpu = publishingCpu.total();
        long processCpu = PublishingCpu.process();
        if (step > warmupSteps) {
            blocks.add(new BenchBlock(publishing, steps, wall, handOver, trainCpu - trainCpuStart, publishCpu - publishCpuStart,
                    processCpu - processCpuStart));
        }
        if (publishing) {
            kafka.flush();
        }
        publishing = publishes(blocks.size());
        wall = 0;
        handOver = 0;
        steps = 0;
        trainCpuStart = PublishingCpu.currentThread();
        publishCpuStart = publishingCpu.total();
        processCpuStart = PublishingCpu.process();
    }
}
