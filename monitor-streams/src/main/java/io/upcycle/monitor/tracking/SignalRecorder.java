package io.upcycle.monitor.tracking;

import io.upcycle.monitor.state.ExampleSignals;
import io.upcycle.monitor.state.RunState;
import io.upcycle.monitor.state.SignalHistory;
import io.upcycle.monitor.state.SignalNames;

/**
 * Computes a run's evidence signals after each step (or full pass) and records them in its
 * evidence series, whatever the stop policy: learned fraction, forgetting events, and once the hard
 * set is fixed the hard-set loss share, the easy set's mean loss and whether it has plateaued. A
 * series gets no entry at a step where its value is undefined (no hard set yet, no loss at all).
 */
final class SignalRecorder {
    private final SignalSettings settings;
    private final int window;

    SignalRecorder(SignalSettings settings, int window) {
        this.settings = settings;
        this.window = window;
    }

    /** Before a batch of {@code step} is applied: fixes the hard set once the run moves past the reference step. */
    void beforeBatch(RunState run, long step) {
        if (!run.examples().difficultyFixed() && step > settings.referenceStep()) {
            run.fixDifficulty(run.step(), settings.hardFraction(), settings.easyFraction());
        }
    }

    /** After the losses of the run's current step were applied: records every signal at that step. */
    void record(RunState run) {
        long step = run.step();
        ExampleSignals examples = run.examples();
        ExampleSignals.Summary sum = run.summary(settings.learnedLossThreshold());
        // tests run with assertions on: every step they drive checks the incremental sums against a rescan
        assert sum.equals(examples.summarize(run.latestLosses(), settings.learnedLossThreshold()))
                : "incremental signal sums differ from a full recomputation at step " + step;
        series(run, SignalNames.LEARNED_FRACTION).add(step, (double) sum.learned() / run.exampleCount());
        series(run, SignalNames.FORGETTING_EVENTS).add(step, (double) examples.forgettingEvents());
        if (!examples.difficultyFixed()) {
            return;
        }
        if (sum.totalLoss() > 0) {
            series(run, SignalNames.HARD_SHARE).add(step, sum.hardLoss() / sum.totalLoss());
        }
        if (sum.easyCount() > 0) {
            double easyMean = sum.easyLoss() / sum.easyCount();
            SignalHistory easy = series(run, SignalNames.EASY_LOSS);
            double before = valueAtOrBefore(easy, step - settings.easyPlateauSteps());
            easy.add(step, easyMean);
            if (!Double.isNaN(before)) {
                double improvement = before > 0 ? (before - easyMean) / before : 0;
                series(run, SignalNames.EASY_PLATEAU).add(step, improvement < settings.easyPlateauEpsilon() ? 1 : 0);
            }
        }
    }

    /** One more than a decision carries: a step's entry recorded before the decision's own cannot push an older one out. */
    private SignalHistory series(RunState run, String name) {
        return run.evidence(name, Math.max(window, settings.easyPlateauSteps() + 1) + 1);
    }

    /** The value of the latest entry at or before {@code step}, NaN if none is held. */
    static double valueAtOrBefore(SignalHistory history, long step) {
        long[] steps = history.steps();
        double[] values = history.values();
        for (int i = steps.length - 1; i >= 0; i--) {
            if (steps[i] <= step) {
                return values[i];
            }
        }
        return Double.NaN;
    }
}
