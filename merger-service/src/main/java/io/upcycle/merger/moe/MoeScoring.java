package io.upcycle.merger.moe;

import io.upcycle.merger.eval.Accuracy;
import io.upcycle.model.tasks.Split;

/**
 * Scores the MoE on one task's split: accuracy of the MoE trunk followed by the task's own head
 * (argmax, ties to the lower class as the evaluator does), and per layer the routing accuracy, the
 * share of examples whose top-1 expert is the task's own adapter.
 */
final class MoeScoring {
    record TaskResult(Accuracy accuracy, double[] routingByLayer) {
    }

    private MoeScoring() {
    }

    static TaskResult score(MoeTrunk trunk, float[] headWeight, float[] headBias, Split split, int ownExpert) {
        int correct = 0;
        int layers = trunk.layers().size();
        int[] routed = new int[layers];
        for (int r = 0; r < split.size(); r++) {
            MoeTrunk.Pass pass = trunk.forward(split.row(r));
            float[] logits = MoeTrunk.head(pass.hidden(), headWeight, headBias);
            int best = 0;
            for (int c = 1; c < logits.length; c++) {
                if (logits[c] > logits[best]) {
                    best = c;
                }
            }
            correct += best == split.labels()[r] ? 1 : 0;
            for (int l = 0; l < layers; l++) {
                routed[l] += pass.gates().get(l).top1() == ownExpert ? 1 : 0;
            }
        }
        double[] routing = new double[layers];
        for (int l = 0; l < layers; l++) {
            routing[l] = split.size() == 0 ? 0.0 : (double) routed[l] / split.size();
        }
        return new TaskResult(new Accuracy(correct, split.size()), routing);
    }
}
