package io.upcycle.monitor;

import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.EndReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The input of the restart test, one deterministic list of events in publishing (and timestamp)
 * order: {@link #DECIDED} runs of 100 examples where run i learns 96 examples gradually and 98 at
 * step {@code 10 + 4 i}, which the default policy decides; one run that never learns enough and
 * ends at the last step (an end-of-run decision); every run saves a checkpoint every 5 steps.
 * Event time is {@code t0 + step}, starts at {@code t0}, the end at {@code t0 + STEPS + 1}.
 */
final class RestartScenario {
    static final int DECIDED = 12;
    static final int STEPS = 60;
    static final int EXAMPLES = 100;

    /** One record: topic, key, value (an Avro object) and event time. */
    record Event(String topic, String key, Object value, long timestamp) {
    }

    final String prefix;
    final long t0;

    RestartScenario(String prefix, long t0) {
        this.prefix = prefix;
        this.t0 = t0;
    }

    List<String> runs() {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i <= DECIDED; i++) {
            runs.add(String.format(Locale.ROOT, "%s-%02d", prefix, i));
        }
        return runs;
    }

    /** The step at which run {@code i} reaches 98 learned examples (never, for the last run). */
    static long decidingStep(int i) {
        return i < DECIDED ? 10 + 4L * i : Long.MAX_VALUE;
    }

    List<Event> starts() {
        return runs().stream().map(run -> new Event(Topics.RUNS, run, Events.started(run, EXAMPLES), t0)).toList();
    }

    /** Losses of every run at {@code step}, and the checkpoints of that step. */
    List<Event> step(long step) {
        List<Event> events = new ArrayList<>();
        List<String> runs = runs();
        for (int i = 0; i < runs.size(); i++) {
            String run = runs.get(i);
            long learned = step >= decidingStep(i) ? 98 : Math.min(96, 96 * step / Math.min(decidingStep(i), 2L * STEPS));
            float[] losses = new float[EXAMPLES];
            for (int id = 0; id < EXAMPLES; id++) {
                losses[id] = id < learned ? 0.05f : 1f + id / 1000f;
            }
            events.add(new Event(Topics.EXAMPLE_LOSSES, run, Events.losses(run, step, Events.range(0, EXAMPLES), losses), t0 + step));
            if (step % 5 == 0) {
                events.add(new Event(Topics.CHECKPOINTS, run, Events.checkpoint(run, step), t0 + step));
            }
        }
        return events;
    }

    /** The end of the run that is never decided by its policy. */
    Event end() {
        String run = runs().get(DECIDED);
        return new Event(Topics.RUNS, run, Events.ended(run, STEPS, EndReason.BUDGET_EXHAUSTED), t0 + STEPS + 1);
    }

    /** Every event, in order. */
    List<Event> all() {
        List<Event> all = new ArrayList<>(starts());
        for (long step = 1; step <= STEPS; step++) {
            all.addAll(step(step));
        }
        all.add(end());
        return all;
    }
}
