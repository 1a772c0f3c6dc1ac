package io.upcycle.monitor.curve;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One step of a run's full-fidelity curve: what the dashboard plots, kept for every step the run
 * reported (the run-state store keeps only a window of the stop signal).
 *
 * @param step the training step
 * @param trainLoss mean loss of the step's training batch ({@code NaN}: no batch seen for the step)
 * @param fullPassLoss mean loss over the whole training set when a full pass reported this step ({@code NaN}: none)
 * @param signals the run's signals after this step, by name (e.g. the stop policy's signal)
 */
public record CurvePoint(long step, float trainLoss, float fullPassLoss, Map<String, Double> signals) {
    public CurvePoint {
        signals = Map.copyOf(Objects.requireNonNull(signals, "signals"));
    }

    /** The same point with a full pass's mean loss and the signals it re-assessed. */
    public CurvePoint withFullPass(float meanLoss, Map<String, Double> reassessed) {
        Map<String, Double> merged = new TreeMap<>(signals);
        merged.putAll(reassessed);
        return new CurvePoint(step, trainLoss, meanLoss, merged);
    }
}
