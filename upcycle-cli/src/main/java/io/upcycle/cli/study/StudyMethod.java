package io.upcycle.cli.study;

import io.upcycle.cli.report.StudyTags;
import io.upcycle.merger.LambdaGrid;
import io.upcycle.merger.method.TrimScope;
import java.util.List;

/**
 * One merge a study runs at every point, under the label the report groups it by: a method of the
 * merger's registry (or of the MoE upcycler), optionally with a trim scope ({@code ties:global}),
 * lambda searched on validation ({@link LambdaGrid#adaptive()}). {@value #BASE_HEADS} is the baseline
 * that explains a merge: the base trunk with each expert's own head (task arithmetic at lambda 0),
 * what each task keeps when nothing of the experts' trunks is merged.
 *
 * @param label what the report calls it: the spec as given ({@code ties}, {@code ties:global})
 * @param method the registry name
 * @param trimScope the trim scope, or null for the method's default
 * @param lambdas the lambdas searched
 */
record StudyMethod(String label, String method, TrimScope trimScope, LambdaGrid lambdas) {
    static final String BASE_HEADS = StudyTags.BASE_HEADS;

    /** {@code NAME} or {@code NAME:tensor} / {@code NAME:global}; {@value #BASE_HEADS} for the baseline. */
    static StudyMethod parse(String spec) {
        if (spec.equals(BASE_HEADS)) {
            return new StudyMethod(BASE_HEADS, "task_arithmetic", null, LambdaGrid.fixed(List.of(0.0)));
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return new StudyMethod(spec, spec, null, LambdaGrid.adaptive());
        }
        try {
            return new StudyMethod(spec, spec.substring(0, colon), TrimScope.parse(spec.substring(colon + 1)), LambdaGrid.adaptive());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--methods: '" + spec + "': " + e.getMessage());
        }
    }
}
