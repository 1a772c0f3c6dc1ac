package io.upcycle.merger.eval;

/** How many of a split's examples a network classified correctly. */
public record Accuracy(int correct, int examples) {

    public Accuracy {
        if (correct < 0 || examples < 0 || correct > examples) {
            throw new IllegalArgumentException("invalid accuracy " + correct + "/" + examples);
        }
    }

    /** Fraction correct; 0 for an empty split. */
    public double value() {
        return examples == 0 ? 0.0 : (double) correct / examples;
    }
}
