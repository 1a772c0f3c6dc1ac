package io.upcycle.trainer.network;

/**
 * How the base is pretrained: Adam with a constant learning rate for a number of epochs over the
 * pretraining split, keeping the epoch with the lowest validation loss.
 */
public record BaseSettings(int epochs, float learningRate, int batchSize, long seed) {

    public BaseSettings {
        if (epochs <= 0) {
            throw new IllegalArgumentException("base epochs must be > 0, was " + epochs);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("base learning rate must be a positive number, was " + learningRate);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("base batch size must be > 0, was " + batchSize);
        }
    }

    /** A stable description, part of the base's cache key. */
    public String describe() {
        return "epochs=" + epochs + ",lr=" + learningRate + ",batch=" + batchSize + ",seed=" + seed + ",optimizer=adam";
    }
}
