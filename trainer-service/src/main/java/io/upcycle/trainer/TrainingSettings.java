package io.upcycle.trainer;

import io.upcycle.trainer.checkpoint.CheckpointSchedule;
import io.upcycle.trainer.network.ExpertInit;
import io.upcycle.trainer.optimizer.LearningRateSchedule;
import io.upcycle.trainer.optimizer.OptimizerKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one expert is fine-tuned: an optimizer (Adam or SGD) with a learning-rate schedule, a fixed batch size and a
 * budget of optimizer steps, a seed for the new head and the data order, how often to evaluate
 * on the validation split, and which steps to checkpoint.
 *
 * @param steps budget of optimizer steps
 * @param learningRate the base learning rate (the schedule scales it; commands replace it)
 * @param batchSize examples per step (the last batch of an epoch may be smaller)
 * @param seed seeds the data order, and with the task the initialization of the head and adapters ({@link ExpertInit})
 * @param evalEvery evaluate on the validation split every this many steps (0 = only at the end)
 * @param checkpoints which steps are saved (the last step always is)
 * @param optimizer Adam or plain SGD
 * @param schedule constant, or cosine decay over {@code steps}
 * @param fullPassEvery a no-gradient pass over the whole training split every this many steps (0 = never)
 */
public record TrainingSettings(long steps, float learningRate, int batchSize, long seed, long evalEvery,
                               CheckpointSchedule checkpoints, OptimizerKind optimizer, LearningRateSchedule schedule,
                               long fullPassEvery) {

    /** Adam, a constant rate and no full passes. */
    public TrainingSettings(long steps, float learningRate, int batchSize, long seed, long evalEvery,
                            CheckpointSchedule checkpoints) {
        this(steps, learningRate, batchSize, seed, evalEvery, checkpoints, OptimizerKind.ADAM,
                LearningRateSchedule.CONSTANT, 0);
    }

    public TrainingSettings {
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be > 0, was " + steps);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, was " + learningRate);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, was " + batchSize);
        }
        if (fullPassEvery < 0) {
            throw new IllegalArgumentException("full-pass interval must be >= 0, was " + fullPassEvery);
        }
        if (evalEvery < 0) {
            throw new IllegalArgumentException("evaluation interval must be >= 0, was " + evalEvery);
        }
    }

    /** The hyper-parameters as strings, as {@code RunStarted} carries them. */
    public Map<String, String> asStrings() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("optimizer", optimizer.configName());
        map.put("learningRate", Float.toString(learningRate));
        map.put("learningRateSchedule", schedule.configName());
        map.put("fullPassEvery", Long.toString(fullPassEvery));
        map.put("batchSize", Integer.toString(batchSize));
        map.put("steps", Long.toString(steps));
        map.put("evalEvery", Long.toString(evalEvery));
        map.put("checkpointEvery", Long.toString(checkpoints.every()));
        map.put("checkpointPowersOfTwo", Boolean.toString(checkpoints.powersOfTwo()));
        map.put("checkpointsPerOctave", Integer.toString(checkpoints.perOctave()));
        return map;
    }
}
