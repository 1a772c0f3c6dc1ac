package io.upcycle.merger.eval;

/**
 * A network's per-example results on one split, in the split's order: whether each example was
 * classified correctly and its EL2N ({@code ||softmax(f(x)) - onehot(y)||_2}).
 */
public record Predictions(boolean[] correct, double[] el2n) {

    public Predictions {
        if (correct.length != el2n.length) {
            throw new IllegalArgumentException("predictions of " + correct.length + " examples but " + el2n.length + " EL2N scores");
        }
    }

    /** How many examples there are. */
    public int size() {
        return correct.length;
    }

    /** Accuracy over all examples. */
    public Accuracy accuracy() {
        int count = 0;
        for (boolean c : correct) {
            count += c ? 1 : 0;
        }
        return new Accuracy(count, correct.length);
    }

    /** Accuracy over the examples whose {@code selected} flag equals {@code wanted}. */
    public Accuracy accuracy(boolean[] selected, boolean wanted) {
        if (selected.length != correct.length) {
            throw new IllegalArgumentException("selection of " + selected.length + " examples for " + correct.length + " predictions");
        }
        int count = 0;
        int examples = 0;
        for (int i = 0; i < correct.length; i++) {
            if (selected[i] == wanted) {
                examples++;
                count += correct[i] ? 1 : 0;
            }
        }
        return new Accuracy(count, examples);
    }
}
