package io.upcycle.trainer.control;

import io.upcycle.schemas.avro.CommandKind;
import io.upcycle.schemas.avro.TrainingCommand;
import io.upcycle.trainer.optimizer.LearningRateSchedule;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learning rate of a run: a base rate (configured, then replaced by each
 * {@code SET_LEARNING_RATE} command) times the schedule's factor. Commands arrive on a consumer
 * thread; the loop reads {@link #rateAt} before each step, so a command takes effect from the next
 * step. Each command id is applied once; a restarted run re-reads the commands in log order, and
 * since each one sets an absolute value, the last one wins either way.
 */
public final class LearningRateControl {
    private static final Logger LOG = LoggerFactory.getLogger(LearningRateControl.class);

    private final LearningRateSchedule schedule;
    private final long budget;
    private final Set<String> applied = ConcurrentHashMap.newKeySet();
    private volatile float base;

    public LearningRateControl(float base, LearningRateSchedule schedule, long budget) {
        this.base = base;
        this.schedule = schedule;
        this.budget = budget;
    }

    /** The rate of step {@code step} (1-based). */
    public float rateAt(long step) {
        return schedule.rate(base, step, budget);
    }

    /** The base rate in force. */
    public float base() {
        return base;
    }

    /** Applies {@code command} unless already applied or invalid; returns whether it changed the base rate. */
    public boolean apply(TrainingCommand command) {
        if (command.getKind() != CommandKind.SET_LEARNING_RATE) {
            LOG.warn("ignoring command {} of kind {}: this trainer does not know it", command.getCommandId(), command.getKind());
            return false;
        }
        double value = command.getValue();
        if (!(value > 0) || Double.isInfinite(value) || (float) value == 0f) {
            LOG.warn("ignoring command {}: learning rate {} is not a positive number", command.getCommandId(), value);
            return false;
        }
        if (!applied.add(command.getCommandId())) {
            return false;
        }
        base = (float) value;
        LOG.info("run {}: base learning rate set to {} by {} ({}): {}", command.getRunId(), base, command.getIssuedBy(),
                command.getCommandId(), command.getReason());
        return true;
    }
}
