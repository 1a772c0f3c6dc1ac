package io.upcycle.merger.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * How the (sparsified) task vectors of the experts are combined into one, on the NDArrays' engine
 * with elementwise ops only (sign, comparisons, casts, sums), which DJL's TensorFlow engine has.
 * Results belong to the manager of the first task vector; the inputs are left untouched.
 */
public enum Consensus {
    /** The plain sum of the task vectors (task arithmetic, DARE-linear). */
    NONE,
    /** TIES: elect a sign per entry, then the disjoint mean of the experts that agree with it. */
    SIGN_ELECTION;

    /** Combines the task vectors of one tensor (or of one chunk of it). */
    public NDArray combine(List<NDArray> taus) {
        if (this == NONE) {
            NDArray sum = taus.get(0).duplicate();
            for (int t = 1; t < taus.size(); t++) {
                sum.addi(taus.get(t));
            }
            return sum;
        }
        try (NDArray sign = electSign(taus)) {
            return disjointMerge(taus, sign);
        }
    }

    /**
     * Sign election: the sign of the summed task vectors ("total mass", PEFT's default and the TIES
     * paper's), +1 where that sum is exactly 0 (PEFT's and mergekit's {@code >= 0} convention).
     * Answers +1/-1 floats.
     */
    public static NDArray electSign(List<NDArray> taus) {
        try (NDArray sum = NONE.combine(taus); NDArray zero = sum.eq(0f); NDArray zeroOne = zero.toType(DataType.FLOAT32, false)) {
            return sum.sign().addi(zeroOne);
        }
    }

    /**
     * Disjoint merge: per entry, the mean over the experts whose entry has the elected sign. The
     * divisor is the count of agreeing entries; an entry of 0 has sign 0 and never agrees with +1 or
     * -1, so pruned entries are not counted. Where no expert agrees the result is 0 (the divisor is
     * clamped to 1, as PEFT does).
     */
    public static NDArray disjointMerge(List<NDArray> taus, NDArray electedSign) {
        NDArray sum = null;
        NDArray count = null;
        for (NDArray tau : taus) {
            try (NDArray sign = tau.sign(); NDArray agrees = sign.eq(electedSign);
                 NDArray agreeing = agrees.toType(DataType.FLOAT32, false)) {
                if (sum == null) {
                    sum = tau.mul(agreeing);
                    count = agreeing.duplicate();
                } else {
                    try (NDArray kept = tau.mul(agreeing)) {
                        sum.addi(kept);
                    }
                    count.addi(agreeing);
                }
            }
        }
        try (NDArray none = count.eq(0f); NDArray noneOne = none.toType(DataType.FLOAT32, false)) {
            count.addi(noneOne);
            sum.divi(count);
        } finally {
            count.close();
        }
        return sum;
    }
}
