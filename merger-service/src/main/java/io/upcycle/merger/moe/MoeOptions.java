package io.upcycle.merger.moe;

/**
 * How an MoE is upcycled and scored.
 *
 * @param topK experts per input at each layer; PEFT's Arrow default is 3 of a large library, ours
 *     is 1 because each task has one adapter and the task's own head expects its own trunk
 * @param seed seeds the Arrow power iterations' start vectors and the router's shuffling
 * @param routerEpochs passes over all tasks' training examples when training {@code moe_router}
 * @param routerLearningRate SGD step of {@code moe_router}'s softmax regression
 * @param evalBatchSize batch of the dense experts' evaluation on the engine
 */
public record MoeOptions(int topK, long seed, int routerEpochs, double routerLearningRate, int evalBatchSize) {

    public MoeOptions {
        if (topK <= 0) {
            throw new IllegalArgumentException("top_k must be >= 1, was " + topK);
        }
        if (routerEpochs <= 0) {
            throw new IllegalArgumentException("router epochs must be >= 1, was " + routerEpochs);
        }
        if (!(routerLearningRate > 0) || Double.isInfinite(routerLearningRate)) {
            throw new IllegalArgumentException("router learning rate must be a finite number > 0, was " + routerLearningRate);
        }
        if (evalBatchSize <= 0) {
            throw new IllegalArgumentException("evaluation batch size must be > 0, was " + evalBatchSize);
        }
    }

    /** top_k 1, seed 0, 10 router epochs at learning rate 0.05, evaluation batches of 2048. */
    public static MoeOptions defaults() {
        return new MoeOptions(1, 0L, 10, 0.05, 2048);
    }

    /** The same options with another top_k. */
    public MoeOptions withTopK(int k) {
        return new MoeOptions(k, seed, routerEpochs, routerLearningRate, evalBatchSize);
    }
}
