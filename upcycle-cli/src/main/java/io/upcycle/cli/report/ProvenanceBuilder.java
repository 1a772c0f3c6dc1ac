package io.upcycle.cli.report;

import io.upcycle.cli.report.Provenance.ExpertRow;
import io.upcycle.cli.report.Provenance.MergeRow;
import io.upcycle.cli.report.Provenance.RunRow;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.RunStarted;
import java.util.Comparator;
import java.util.List;

/** Builds the {@link Provenance} of a study from its runs and its tagged merge results. */
final class ProvenanceBuilder {
    private ProvenanceBuilder() {
    }

    static Provenance of(RunFacts runs, List<MergeCompleted> merges) {
        List<RunRow> runRows = runs.all().stream().map(r -> row(runs, r))
                .sorted(Comparator.comparing(RunRow::mode).thenComparing(RunRow::pass, Comparator.reverseOrder())
                        .thenComparing(RunRow::task).thenComparingLong(RunRow::seed))
                .toList();
        List<MergeRow> mergeRows = merges.stream().map(ProvenanceBuilder::row).toList();
        return new Provenance(runRows, mergeRows);
    }

    private static RunRow row(RunFacts runs, RunStarted r) {
        RunEnded end = runs.end(r.getRunId());
        return new RunRow(r.getRunId(), r.getTask(), runs.mode(r), runs.seed(r), runs.pass(r), runs.budget(r),
                end == null ? null : end.getFinalStep(), end == null ? null : end.getReason().name(), r.getBaseModelSha256(),
                r.getDatasetFingerprint());
    }

    private static MergeRow row(MergeCompleted m) {
        String point = ResultsBuilder.isLength(m) ? "length " + ResultsBuilder.length(m)
                : ResultsBuilder.point(m).equals(StudyTags.POINT_RULE) ? "rule " + m.getTags().getOrDefault(StudyTags.RULE, "")
                : ResultsBuilder.point(m);
        List<ExpertRow> experts = m.getExperts().stream().map(e -> new ExpertRow(e.getRunId(), e.getTask(), e.getStep(), e.getSha256()))
                .toList();
        return new MergeRow(m.getMergeId(), m.getTags().getOrDefault(StudyTags.MODE, ""), ResultsBuilder.method(m), ResultsBuilder.seed(m),
                point, m.getParameters().get(StudyTags.LAMBDA), m.getParameters().get(StudyTags.LAMBDA_EDGE),
                m.getParameters().get(StudyTags.LAMBDA_TRIED), experts, m.getBaseSha256(), m.getOutputSha256());
    }
}
