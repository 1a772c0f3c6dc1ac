package io.upcycle.monitor;

import io.upcycle.schemas.avro.CheckpointSaved;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExampleLosses;
import io.upcycle.schemas.avro.RunEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one synthetic run on the three input topics, in the order a trainer produced them,
 * stamped the way the trainer's stepped clock stamps them. It can be piped in that order (what a
 * live monitor sees) or merged by timestamp (what a monitor replaying the topics sees; Kafka
 * Streams leaves the order of equal timestamps on different topics open, so ties are broken by a
 * given topic order).
 */
final class TrainerLog {
    enum Input { RUNS, LOSSES, CHECKPOINTS }

    private record Entry(Input input, Object value, long timestamp) {
    }

    private final String runId;
    private final int examples;
    private final long t0;
    private final List<Entry> entries = new ArrayList<>();

    TrainerLog(String runId, int examples, long t0) {
        this.runId = runId;
        this.examples = examples;
        this.t0 = t0;
    }

    long at(long step) {
        return t0 + step;
    }

    TrainerLog started(Long resumedFromStep) {
        RunEvent e = resumedFromStep == null ? Events.started(runId, examples) : Events.resumed(runId, examples, resumedFromStep);
        return add(Input.RUNS, e, at(resumedFromStep == null ? 0 : resumedFromStep));
    }

    /** A failed end after {@code finalStep}, stamped just after it, as the trainer does. */
    TrainerLog failed(long finalStep) {
        return add(Input.RUNS, Events.ended(runId, finalStep, EndReason.FAILED), at(finalStep + 1));
    }

    /**
     * Steps {@code from..to}: batches of every example, 10 more learned per step (capped at 98), a full
     * pass every 4 steps and a checkpoint every 4 steps.
     */
    TrainerLog steps(long from, long to) {
        for (long s = from; s <= to; s++) {
            float[] losses = new float[examples];
            for (int id = 0; id < examples; id++) {
                losses[id] = id < Math.min(98, 10 * s) ? 0.05f : 1f + id / 1000f;
            }
            add(Input.LOSSES, Events.losses(runId, s, Events.range(0, examples), losses), at(s));
            if (s % 4 == 0) {
                add(Input.LOSSES, Events.fullPass(runId, s, losses), at(s));
                add(Input.CHECKPOINTS, Events.checkpoint(runId, s), at(s));
            }
        }
        return this;
    }

    private TrainerLog add(Input input, Object value, long timestamp) {
        entries.add(new Entry(input, value, timestamp));
        return this;
    }

    /** Pipes the records in the order they were produced. */
    void pipeAsProduced(MonitorHarness h) {
        entries.forEach(e -> pipe(h, e));
    }

    /** Pipes the records merged by timestamp, each topic in its own order, ties going to {@code tieOrder} first. */
    void pipeByTimestamp(MonitorHarness h, List<Input> tieOrder) {
        Map<Input, ArrayDeque<Entry>> queues = new EnumMap<>(Input.class);
        for (Input input : Input.values()) {
            queues.put(input, new ArrayDeque<>());
        }
        entries.forEach(e -> queues.get(e.input()).add(e));
        Comparator<Input> byHead = Comparator.<Input>comparingLong(i -> queues.get(i).getFirst().timestamp())
                .thenComparingInt(tieOrder::indexOf);
        while (queues.values().stream().anyMatch(q -> !q.isEmpty())) {
            Input next = queues.keySet().stream().filter(i -> !queues.get(i).isEmpty()).min(byHead).orElseThrow();
            pipe(h, queues.get(next).removeFirst());
        }
    }

    private void pipe(MonitorHarness h, Entry e) {
        switch (e.input()) {
            case RUNS -> h.runs.pipeInput(runId, (RunEvent) e.value(), e.timestamp());
            case LOSSES -> h.losses.pipeInput(runId, (ExampleLosses) e.value(), e.timestamp());
            case CHECKPOINTS -> h.checkpoints.pipeInput(runId, (CheckpointSaved) e.value(), e.timestamp());
        }
    }
}
