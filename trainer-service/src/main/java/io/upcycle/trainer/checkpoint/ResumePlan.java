package io.upcycle.trainer.checkpoint;

import io.upcycle.model.checkpoint.CheckpointException;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.model.checkpoint.SafetensorsFile;
import io.upcycle.model.checkpoint.StoredCheckpoint;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.trainer.EpochSampler;
import io.upcycle.trainer.events.ResumedEvents;
import io.upcycle.trainer.events.TrainingEvents;
import io.upcycle.trainer.network.ExpertNetwork;
import io.upcycle.trainer.optimizer.ResumableOptimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run (re)starts, from what the log holds ({@link RunHistory}) and what the store holds.
 *
 * <p>A run the log has not seen starts fresh. A run that started and did not end (or ended
 * FAILED) resumes from its latest checkpoint whose file matches the sha256 of its
 * {@code CheckpointSaved} event, whose training state is intact, and which no per-step topic is
 * behind of; without one it resumes from step 0, recomputing everything. Steps up to the last one
 * the log holds are recomputed deterministically and published only where a topic lacks them
 * ({@link ResumedEvents}); the new RunStarted carries {@code resumedFromStep} = the last step whose
 * losses the log holds. A run that ended otherwise is refused: its id is taken.
 */
public final class ResumePlan {
    private static final Logger LOG = LoggerFactory.getLogger(ResumePlan.class);

    private final RunHistory history;
    private final TrainingState state;

    private ResumePlan(RunHistory history, TrainingState state) {
        this.history = history;
        this.state = state;
    }

    /** A new run. */
    public static ResumePlan fresh() {
        return new ResumePlan(RunHistory.none(), null);
    }

    /** The plan for {@code runId} given its history in the log and the checkpoints in {@code store}. */
    public static ResumePlan of(RunHistory history, CheckpointStore store, String runId) {
        if (!history.started()) {
            return fresh();
        }
        if (history.lastEnd() != null && history.lastEnd() != EndReason.FAILED) {
            throw new IllegalStateException("run '" + runId + "' already ended (" + history.lastEnd()
                    + "); choose another run id");
        }
        for (long step : history.checkpointStepsDescending()) {
            if (step > history.completeThrough()) {
                continue;
            }
            try {
                TrainingState state = loadState(store, runId, step, history.checkpoints().get(step));
                if (state != null) {
                    return new ResumePlan(history, state);
                }
            } catch (CheckpointException | IllegalStateException | NumberFormatException e) {
                LOG.warn("run {}: cannot resume from the checkpoint of step {}: {}", runId, step, e.getMessage());
            }
        }
        return new ResumePlan(history, null);
    }

    /** The training state saved with the checkpoint of {@code step}; null when it holds weights only. */
    private static TrainingState loadState(CheckpointStore store, String runId, long step, String sha256) {
        Path checkpoint = store.root().resolve(runId).resolve("step-" + step + ".safetensors");
        String stateSha;
        try (SafetensorsFile file = store.openVerified(CheckpointStore.describe(checkpoint).uri(), sha256)) {
            stateSha = file.metadata().get(TrainingStateFiles.META_STATE_SHA256);
        }
        if (stateSha == null) {
            return null; // a merge-grid checkpoint: weights only, by design
        }
        Path statePath = store.root().resolve(runId).resolve(TrainingStateFiles.fileName(step));
        if (!Files.isRegularFile(statePath)) {
            throw new IllegalStateException("its training state " + statePath + " is missing");
        }
        StoredCheckpoint stateFile = CheckpointStore.describe(statePath);
        TrainingState state = TrainingStateFiles.load(store, stateFile.uri(), stateSha);
        if (state.step() != step) {
            throw new IllegalStateException("its training state is of step " + state.step());
        }
        return state;
    }

    /**
     * Puts the network, optimizer and sampler where the saved state left them and returns its
     * step (0, changing nothing, when there is no state). The sampler is replayed, not stored: the
     * same seed gives the same batches, and its position is checked against the saved one.
     */
    public long restore(ExpertNetwork network, ResumableOptimizer optimizer, EpochSampler sampler) {
        if (state == null) {
            return 0;
        }
        for (long i = 0; i < state.step(); i++) {
            sampler.next();
        }
        if (sampler.epoch() != state.epoch() || sampler.position() != state.position()) {
            throw new IllegalStateException("the data order after step " + state.step() + " is at epoch " + sampler.epoch()
                    + " position " + sampler.position() + ", the saved state says epoch " + state.epoch() + " position "
                    + state.position() + ": the batch size or training split changed");
        }
        state.restore(network, optimizer);
        return state.step();
    }

    /** Whether the log already knew the run. */
    public boolean resumed() {
        return history.started();
    }

    /** RunStarted's {@code resumedFromStep}: null for a new run. */
    public Long resumedFromStep() {
        return resumed() ? history.lastLossesStep() : null;
    }

    /** The state to continue from; null to start from the base at step 0. */
    public TrainingState state() {
        return state;
    }

    /** Whether {@code step} was already published (at least in part) and is only recomputed. */
    public boolean replaying(long step) {
        return step <= history.publishedThrough();
    }

    /** Whether a CheckpointSaved of {@code step} is in the log (its file must not be rewritten). */
    public boolean checkpointLogged(long step) {
        return history.checkpoints().containsKey(step);
    }

    /** Whether the full pass of {@code step} is in the log. */
    public boolean fullPassLogged(long step) {
        return step <= history.lastFullPassStep();
    }

    /** The rate the earlier attempt used at {@code step}, or {@code fallback} when the log does not say. */
    public float learningRate(long step, float fallback) {
        Float logged = history.learningRates().get(step);
        return logged != null ? logged : fallback;
    }

    /** Whether the recomputed batch loss of {@code step} equals the published one (true when none was published). */
    public boolean matchesLog(long step, float trainLoss) {
        Float logged = history.trainLosses().get(step);
        return logged == null || Float.floatToIntBits(logged) == Float.floatToIntBits(trainLoss);
    }

    /** {@code events} without what the log already holds. */
    public TrainingEvents filter(TrainingEvents events) {
        return resumed() ? new ResumedEvents(events, history) : events;
    }

    /** The history this plan was made from. */
    public RunHistory history() {
        return history;
    }
}
