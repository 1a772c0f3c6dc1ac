package io.upcycle.model.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Splits examples into train / validation / test, stratified: each class is shuffled with the
 * seed and cut at {@code round(n * train)} and {@code round(n * validation)}, the rest going to
 * test, so every split keeps the class proportions. Each split is then shuffled so classes
 * interleave. Defaults: 70 / 10 / 20. Same labels and seed, same split.
 */
public record StratifiedSplitter(double trainFraction, double validationFraction) {
    public static final StratifiedSplitter DEFAULT = new StratifiedSplitter(0.7, 0.1);

    public StratifiedSplitter {
        if (trainFraction <= 0 || validationFraction < 0 || trainFraction + validationFraction > 1) {
            throw new IllegalArgumentException("fractions must satisfy 0 < train, 0 <= validation, train + validation <= 1; got "
                    + trainFraction + ", " + validationFraction);
        }
    }

    /** Example indices (into the input) of each split. */
    public record Assignment(int[] train, int[] validation, int[] test) {
    }

    public Assignment split(int[] labels, long seed) {
        int classes = 0;
        for (int label : labels) {
            classes = Math.max(classes, label + 1);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> members : byClass) {
            Collections.shuffle(members, random);
            int n = members.size();
            int nTrain = (int) Math.round(n * trainFraction);
            int nValidation = Math.min(n - nTrain, (int) Math.round(n * validationFraction));
            train.addAll(members.subList(0, nTrain));
            validation.addAll(members.subList(nTrain, nTrain + nValidation));
            test.addAll(members.subList(nTrain + nValidation, n));
        }
        return new Assignment(shuffled(train, random), shuffled(validation, random), shuffled(test, random));
    }

    /**
     * As {@link #split}, but the examples marked in {@code fixedTest} are the test split (shuffled
     * with the seed); the others are split into train and validation, stratified, in the ratio
     * {@code trainFraction : validationFraction}.
     */
    public Assignment splitAroundFixedTest(int[] labels, boolean[] fixedTest, long seed) {
        if (fixedTest.length != labels.length) {
            throw new IllegalArgumentException(fixedTest.length + " test marks for " + labels.length + " labels");
        }
        List<Integer> pool = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            (fixedTest[i] ? test : pool).add(i);
        }
        int[] poolLabels = pool.stream().mapToInt(i -> labels[i]).toArray();
        double rest = trainFraction + validationFraction;
        Assignment inPool = new StratifiedSplitter(trainFraction / rest, validationFraction / rest).split(poolLabels, seed);
        Random random = new Random(seed);
        return new Assignment(IntStream.of(inPool.train()).map(pool::get).toArray(),
                IntStream.of(inPool.validation()).map(pool::get).toArray(), shuffled(test, random));
    }

    private static int[] shuffled(List<Integer> indices, Random random) {
        Collections.shuffle(indices, random);
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }
}
