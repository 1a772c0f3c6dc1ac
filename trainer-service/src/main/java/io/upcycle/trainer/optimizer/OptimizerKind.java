package io.upcycle.trainer.optimizer;

import java.util.Locale;

/** Which optimizer fine-tunes an expert: Adam (DJL's defaults: betas 0.9/0.999, eps 1e-8) or plain SGD. */
public enum OptimizerKind {
    ADAM,
    SGD;

    /** A fresh optimizer of this kind at learning rate {@code learningRate}. */
    public ResumableOptimizer create(float learningRate) {
        ResumableOptimizer optimizer = this == ADAM ? new ResumableAdam() : new PlainSgd();
        optimizer.setLearningRate(learningRate);
        return optimizer;
    }

    /** The name as configured ({@code adam}, {@code sgd}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configured name, case-insensitively. */
    public static OptimizerKind parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
