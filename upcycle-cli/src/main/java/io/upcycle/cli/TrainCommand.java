package io.upcycle.cli;

import io.upcycle.trainer.TrainerConfig;
import io.upcycle.trainer.TrainerService;
import java.util.function.Consumer;

/** {@code upcycle train}: fine-tunes one expert and streams its events. */
final class TrainCommand extends ServiceCommand {
    TrainCommand() {
        super("bootstrap-servers", "registry-url");
    }

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "fine-tune one expert (DJL) and stream its events to Kafka";
    }

    @Override
    public String help() {
        return "Usage: upcycle train --task TASK [--key value ...]\n\n" + TrainerConfig.help();
    }

    @Override
    Consumer<String[]> main() {
        return TrainerService::main;
    }
}
