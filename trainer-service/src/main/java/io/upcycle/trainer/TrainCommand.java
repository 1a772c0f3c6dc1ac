package io.upcycle.trainer;

import io.upcycle.config.ConfigSpec;
import io.upcycle.config.ConfigValues;
import io.upcycle.config.ConfiguredCommand;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code upcycle train}: fine-tunes one expert and streams its events; every option is a key of {@link TrainerConfig}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fine-tune one expert (DJL) and stream its per-step and per-example events to Kafka.")
public final class TrainCommand extends ConfiguredCommand {
    @Override
    protected ConfigSpec config() {
        return TrainerConfig.SPEC;
    }

    /** The configuration {@code args} give (with the process's environment), without running it. */
    public static TrainerConfig config(String... args) {
        return TrainerConfig.from(ConfiguredCommand.parse(new TrainCommand(), args));
    }

    @Override
    protected int run(ConfigValues values) {
        TrainingResult result = TrainerService.run(TrainerConfig.from(values));
        System.out.printf(Locale.ROOT, "run %s (%s): %d steps, %s%s; test accuracy %.4f; checkpoint %s (sha256 %s); "
                        + "%.3f ms/step, %.0f per-example losses/s%n",
                result.runId(), result.task(), result.stepsDone(), result.endReason(),
                result.stopDecisionId() == null ? "" : " by " + result.stopDecisionId(), result.testAccuracy(),
                result.finalCheckpoint().uri(), result.finalCheckpoint().sha256(), result.timings().msPerStep(),
                result.timings().examplesPerSecond());
        return 0;
    }
}
