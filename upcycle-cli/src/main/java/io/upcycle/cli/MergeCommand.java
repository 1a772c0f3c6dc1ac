package io.upcycle.cli;

import io.upcycle.merger.MergerMain;
import java.util.function.Consumer;

/**
 * {@code upcycle merge}: merges files (or upcycles LoRA adapter files into a mixture of experts) without
 * Kafka, or waits for a plan's stop decisions, merges the experts and publishes the result.
 */
final class MergeCommand extends ServiceCommand {
    MergeCommand() {
        super("bootstrap.servers", "schema.registry.url");
    }

    @Override
    public String name() {
        return "merge";
    }

    @Override
    public String summary() {
        return "merge files (--method ties --base B --out M EXPERTS...; moe_arrow upcycles LoRA adapters into a MoE)"
                + " or a plan's experts once stopped (TensorFlow engine)";
    }

    @Override
    public String help() {
        return MergerMain.usage();
    }

    @Override
    Consumer<String[]> main() {
        return MergerMain::main;
    }
}
