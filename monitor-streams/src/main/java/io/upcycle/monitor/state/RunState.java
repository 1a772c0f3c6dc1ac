package io.upcycle.monitor.state;

import io.upcycle.monitor.policy.RunView;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the monitor keeps about one run, compact: the most recent loss of every example in
 * one dense array indexed by example id ({@code NaN}: not seen yet), counters, the last step, the
 * most recent checkpoints, the signal window and whether a decision was emitted; the per-example
 * signals ({@link ExampleSignals}: EL2N, correctness, forgetting events, difficulty), the evidence
 * series recorded per step ({@link #evidence()}) and the evaluation losses. Stored as one entry
 * per run without the per-example arrays ({@link RunStateSerde}) next to the arrays' last snapshot
 * ({@link ExampleStore}); the losses records applied since are named by their input offsets
 * ({@link #lossesApplied}) and replayed to restore the arrays, so that saving a step costs its
 * entry, not its batch or the run. Mutable; the caller validates events before applying them.
 */
public final class RunState implements RunView {
    /**
     * How many of the most recent checkpoints are kept whatever their step: enough for any decision at
     * the latest step, and for a plateau rule's restore-best a patience back on a dense checkpoint grid.
     * Older checkpoints at powers of two are kept too (at most one per octave), so a restore-best
     * further back still finds one within a factor of two.
     */
    public static final int MAX_CHECKPOINTS = 32;

    private final String runId;
    private final String task;
    private final int exampleCount;
    private final int classCount;
    /** Null until first needed ({@link #arrays}): a state read from its entry for a query does not pay for it. */
    private float[] latestLosses;
    private final SignalHistory signals;
    private final ArrayDeque<CheckpointRef> checkpoints = new ArrayDeque<>();
    private final ExampleSignals examples;
    private final EvalHistory evaluations = new EvalHistory();
    private final Map<String, SignalHistory> evidence = new LinkedHashMap<>();
    private LossAggregates aggregates;
    StepGaps gaps = new StepGaps();
    /** The highest step whose losses were applied, in any attempt: a resume lowers {@link #lastStep}, never this. */
    long highestStep = -1;
    long lastMetricsStep = -1;
    long lastStep = -1;
    long stepsObserved;
    long lossesObserved;
    int examplesSeen;
    boolean ended;
    long finalStep = -1;
    long decidedAtStep = -1;
    /** The example arrays' snapshot generation in the {@link ExampleStore} (0: none, the arrays of a new run). */
    long examplesGeneration;
    /** Patches after the snapshot, written by builds before the arrays were replayed from the input (format 4 entries). */
    int examplesPatches;
    /** Input offsets of the first and the last losses record applied since the snapshot (-1: none). */
    long replayFrom = -1;
    long replayTo = -1;
    /** Losses records applied to the arrays since the snapshot, and their losses. */
    long pendingRecords;
    long pendingLosses;
    /** How many of the {@link #pendingRecords} were applied before the difficulty was fixed (-1: not fixed since the snapshot). */
    long fixedAfter = -1;
    /** Input offsets between {@link #replayFrom} and {@link #replayTo} of this run's losses records that were not applied. */
    long[] skipped = new long[0];
    /** The run's labels (its RunStarted's hyper-parameters): what the dashboard filters and groups runs by. */
    private Map<String, String> labels = Map.of();
    /** Not stored: the arrays must be snapshotted at the next save (read from an older format). */
    private boolean snapshotDue;

    /** A run with {@code latestLosses} and {@code examples}' arrays, or (null losses) with both allocated when first needed. */
    RunState(String runId, String task, int exampleCount, int classCount, float[] latestLosses, SignalHistory signals,
             ExampleSignals examples) {
        this.runId = runId;
        this.task = task;
        this.exampleCount = exampleCount;
        this.classCount = classCount;
        this.latestLosses = latestLosses;
        this.signals = signals;
        this.examples = examples;
        if (latestLosses != null) {
            this.aggregates = new LossAggregates(latestLosses, examples);
        }
    }

    /**
     * The per-example arrays, allocated as a new run's (no loss, no EL2N) if this state was read from
     * its entry without them; {@link ExampleStore#load} then fills them from the run's example entries.
     */
    private RunState arrays() {
        if (latestLosses == null) {
            float[] losses = new float[exampleCount];
            Arrays.fill(losses, Float.NaN);
            examples.allocate(exampleCount);
            latestLosses = losses;
            aggregates = new LossAggregates(losses, examples);
        }
        return this;
    }

    /** Whether the per-example arrays exist yet (a state read from its entry has none until first needed). */
    boolean hasArrays() {
        return latestLosses != null;
    }

    /** The per-example signals without allocating their arrays: for their stored scalars. */
    ExampleSignals examplesEntry() {
        return examples;
    }

    /** At most this many labels are kept (the first by key), each key and value cut to {@link #MAX_LABEL_CHARS}. */
    public static final int MAX_LABELS = 64;
    public static final int MAX_LABEL_CHARS = 200;

    /** The run's labels, sorted by key. */
    public Map<String, String> labels() {
        return labels;
    }

    /** Keeps {@code given} as the run's labels, within {@link #MAX_LABELS} and {@link #MAX_LABEL_CHARS}. */
    public void labels(Map<String, String> given) {
        Map<String, String> kept = new TreeMap<>();
        given.entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(MAX_LABELS)
                .forEach(e -> kept.put(cut(e.getKey()), cut(e.getValue())));
        labels = Collections.unmodifiableMap(kept);
    }

    private static String cut(String text) {
        return text.length() <= MAX_LABEL_CHARS ? text : text.substring(0, MAX_LABEL_CHARS);
    }

    /** A run that has just started: no example seen, no step, no checkpoint. */
    public static RunState started(String runId, String task, int exampleCount, int classCount, int signalWindow) {
        float[] losses = new float[exampleCount];
        Arrays.fill(losses, Float.NaN);
        return new RunState(runId, task, exampleCount, classCount, losses, new SignalHistory(signalWindow),
                ExampleSignals.empty(exampleCount));
    }

    /** Records the losses of one step: {@code ids[i]} had loss {@code losses[i]}. */
    public void applyLosses(long step, int[] ids, float[] losses) {
        applyLosses(step, ids, losses, new boolean[0], new float[0]);
    }

    /** Records one step: losses, and (each may be empty) correctness and EL2N, parallel to {@code ids}. */
    public void applyLosses(long step, int[] ids, float[] losses, boolean[] correct, float[] el2n) {
        arrays();
        aggregates.before(ids);
        record(ids, losses);
        examples.record(ids, correct, el2n);
        aggregates.after(ids);
        lastStep = step;
        highestStep = Math.max(highestStep, step);
        stepsObserved++;
    }

    /** A full pass with correctness and EL2N (each may be empty); see {@link #applyFullPass(int[], float[])}. */
    public void applyFullPass(int[] ids, float[] losses, boolean[] correct, float[] el2n) {
        arrays();
        aggregates.before(ids);
        record(ids, losses);
        examples.record(ids, correct, el2n);
        aggregates.after(ids);
    }

    /** Fixes the hard and easy sets at {@code step}; see {@link ExampleSignals}. */
    public void fixDifficulty(long step, double hardFraction, double easyFraction) {
        arrays();
        boolean wasFixed = examples.difficultyFixed();
        examples.fixDifficulty(step, hardFraction, easyFraction);
        if (examples.difficultyFixed() && !wasFixed) {
            aggregates.invalidate();
            // The classes follow from the EL2N known now and the cut-offs in the state entry: a replay
            // of the arrays fixes them again after as many records (ExampleStore.load).
            fixedAfter = pendingRecords;
        }
    }

    /**
     * Applies a losses record that was applied before (replayed from the input since the last snapshot)
     * to the per-example arrays only: the entry's counters already hold it, and the sums of a state
     * being read are built on first use, after its arrays are filled ({@link ExampleStore#load}).
     */
    void replayLosses(int[] ids, float[] losses, boolean[] correct, float[] el2n) {
        arrays();
        for (int i = 0; i < ids.length; i++) {
            latestLosses[ids[i]] = losses[i];
        }
        examples.record(ids, correct, el2n);
    }

    /** The losses record at input offset {@code offset} was applied (after {@code applyLosses} or {@code applyFullPass}). */
    public void lossesApplied(long offset) {
        if (replayFrom < 0) {
            replayFrom = offset;
        }
        replayTo = offset;
    }

    /**
     * The losses record of this run at input offset {@code offset} was not applied (invalid, or its
     * processing failed): a replay of the input must skip it. Nothing to note before the first record
     * applied since the snapshot, where replays begin.
     */
    public void lossesSkipped(long offset) {
        if (replayFrom < 0 || offset < replayFrom) {
            return;
        }
        skipped = Arrays.copyOf(skipped, skipped.length + 1);
        skipped[skipped.length - 1] = offset;
    }

    /** Whether the losses record at {@code offset} was skipped since the snapshot ({@link #skipped} ascends, as records are met). */
    boolean wasSkipped(long offset) {
        return Arrays.binarySearch(skipped, offset) >= 0;
    }

    /** The generation of the arrays' last snapshot (0: none yet). */
    public long examplesGeneration() {
        return examplesGeneration;
    }

    /** Losses records applied since the snapshot, which a restore replays from the input. */
    public long pendingRecords() {
        return pendingRecords;
    }

    /** The arrays must be snapshotted at the next save: they were read from a format that logged them otherwise. */
    void snapshotDue() {
        snapshotDue = true;
    }

    boolean isSnapshotDue() {
        return snapshotDue;
    }

    /** The arrays were snapshotted as they are now, as generation {@code generation}: nothing is left to replay. */
    void snapshotted(long generation) {
        examplesGeneration = generation;
        examplesPatches = 0;
        replayFrom = -1;
        replayTo = -1;
        pendingRecords = 0;
        pendingLosses = 0;
        fixedAfter = -1;
        skipped = new long[0];
        snapshotDue = false;
    }

    /** Records the step metrics of {@code step}; {@code evalLoss} is null on steps that did not evaluate. */
    public void applyMetrics(long step, Float evalLoss, float learningRate) {
        lastMetricsStep = step;
        if (evalLoss != null) {
            evaluations.add(step, evalLoss, learningRate);
        }
    }

    /**
     * Records a full pass over the training set at the current step: the most accurate view of
     * every example's loss. It is not a new step: the step and the step count stay as they are.
     */
    public void applyFullPass(int[] ids, float[] losses) {
        arrays();
        aggregates.before(ids);
        record(ids, losses);
        aggregates.after(ids);
    }

    private void record(int[] ids, float[] losses) {
        pendingRecords++;
        pendingLosses += ids.length;
        for (int i = 0; i < ids.length; i++) {
            if (Float.isNaN(latestLosses[ids[i]])) {
                examplesSeen++;
            }
            latestLosses[ids[i]] = losses[i];
        }
        lossesObserved += ids.length;
    }

    /**
     * Remembers a checkpoint; beyond the {@link #MAX_CHECKPOINTS} most recent, only those at powers of
     * two are kept.
     */
    public void addCheckpoint(CheckpointRef checkpoint) {
        checkpoints.addLast(checkpoint);
        int older = checkpoints.size() - MAX_CHECKPOINTS;
        Iterator<CheckpointRef> oldestFirst = checkpoints.iterator();
        for (int i = 0; i < older && oldestFirst.hasNext(); i++) {
            if (Long.bitCount(oldestFirst.next().step()) != 1) {
                oldestFirst.remove();
            }
        }
    }

    /**
     * The run resumed after a crash or a FAILED end; {@code step} is the last step whose losses the
     * log holds, later steps are new. The run is open again and steps after {@code step} are
     * accepted. Nothing else is undone: losses, signal entries and checkpoints already recorded
     * stay (the trainer never publishes a logged checkpoint again), and a signal entry is replaced
     * only when its step is reported again. That keeps a replay equal to the live run when a
     * failed attempt's end, stamped after its last step, is ordered after the resumed attempt's
     * first records.
     */
    public void resumeFrom(long step) {
        lastStep = Math.min(lastStep, step);
        // Step metrics after the resume point are published again by the resumed attempt.
        lastMetricsStep = Math.min(lastMetricsStep, step);
        evaluations.truncateAfter(step);
        ended = false;
        finalStep = -1;
    }

    /**
     * The highest step whose losses arrived, from any attempt. After a resume, steps up to it are in the
     * log already (a replay in timestamp order may even apply a resumed attempt's first steps before
     * the failed attempt's end), so only steps after it can be missing.
     */
    public long highestStep() {
        return highestStep;
    }

    /** Steps {@code first}..{@code last} are missing from the log: the run is {@link #incomplete()} from now on. */
    public void recordGap(long first, long last) {
        gaps.add(first, last);
    }

    /** The steps missing from this run's log. */
    public StepGaps gaps() {
        return gaps;
    }

    /** Whether steps are missing from this run's log, so that its signals were computed without them. */
    public boolean incomplete() {
        return !gaps.isEmpty();
    }

    /** The run ended at {@code step}. */
    public void end(long step) {
        ended = true;
        finalStep = step;
    }

    /** A stop decision was emitted at {@code step}; there will be no other for this run. */
    public void markDecided(long step) {
        decidedAtStep = step;
    }

    /**
     * The checkpoint a decision at {@code step}, taken on a record stamped {@code eventTime}, merges:
     * the latest one at or before {@code step} whose own event time is strictly earlier. Records
     * already on the broker are processed in timestamp order, but the order of records with equal
     * timestamps on different topics is not defined; leaving out checkpoints stamped at the same
     * time makes the choice the same on every replay.
     */
    public Optional<CheckpointRef> checkpointFor(long step, long eventTime) {
        Iterator<CheckpointRef> newestFirst = checkpoints.descendingIterator();
        while (newestFirst.hasNext()) {
            CheckpointRef c = newestFirst.next();
            if (c.step() <= step && c.timestamp() < eventTime) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Step of the newest checkpoint, or -1 if none. */
    public long lastCheckpointStep() {
        return checkpoints.isEmpty() ? -1 : checkpoints.getLast().step();
    }

    @Override
    public String runId() {
        return runId;
    }

    public String task() {
        return task;
    }

    @Override
    public int exampleCount() {
        return exampleCount;
    }

    public int classCount() {
        return classCount;
    }

    @Override
    public long step() {
        return lastStep;
    }

    @Override
    public long stepsObserved() {
        return stepsObserved;
    }

    public long lossesObserved() {
        return lossesObserved;
    }

    @Override
    public int examplesSeen() {
        return examplesSeen;
    }

    @Override
    public float[] latestLosses() {
        return arrays().latestLosses;
    }

    /** Seen examples whose latest loss is below {@code threshold}: kept up to date, not rescanned. */
    @Override
    public int learnedCount(double threshold) {
        int learned = arrays().aggregates.learnedBelow(threshold);
        assert learned == RunView.super.learnedCount(threshold) : "incremental learned count differs from a rescan";
        return learned;
    }

    /**
     * What {@link ExampleSignals#summarize} computes over the latest losses, from sums kept up to
     * date per changed example (equal to it bit for bit), so a step costs its batch, not the run.
     */
    public ExampleSignals.Summary summary(double learnedBelow) {
        return arrays().aggregates.summary(learnedBelow);
    }

    public SignalHistory signals() {
        return signals;
    }

    /** The per-example signals: EL2N, correctness, forgetting events, difficulty. */
    public ExampleSignals examples() {
        return arrays().examples;
    }

    /** The evaluation losses reported so far. */
    public EvalHistory evaluations() {
        return evaluations;
    }

    @Override
    public long[] evaluationSteps() {
        return evaluations.steps();
    }

    @Override
    public float[] evaluationLosses() {
        return evaluations.losses();
    }

    @Override
    public float[] evaluationLearningRates() {
        return evaluations.learningRates();
    }

    /** The step of the latest step metrics, or -1. */
    public long lastMetricsStep() {
        return lastMetricsStep;
    }

    /** The evidence series ({@link SignalNames}) recorded so far, by name, in the order they first appeared. */
    public Map<String, SignalHistory> evidence() {
        return Collections.unmodifiableMap(evidence);
    }

    /** The evidence series {@code name}, created with room for {@code capacity} steps if new. */
    public SignalHistory evidence(String name, int capacity) {
        return evidence.computeIfAbsent(name, n -> new SignalHistory(capacity));
    }

    void putEvidence(String name, SignalHistory history) {
        evidence.put(name, history);
    }

    /** Checkpoints remembered, oldest first. */
    public List<CheckpointRef> checkpoints() {
        return List.copyOf(checkpoints);
    }

    public boolean ended() {
        return ended;
    }

    /** The step the run ended at, or -1 while it runs. */
    public long finalStep() {
        return finalStep;
    }

    public boolean decided() {
        return decidedAtStep >= 0;
    }

    /** The step of the emitted decision, or -1 if none. */
    public long decidedAtStep() {
        return decidedAtStep;
    }
}
