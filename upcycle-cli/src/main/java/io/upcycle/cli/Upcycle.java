package io.upcycle.cli;

import io.upcycle.bench.BenchCommand;
import io.upcycle.config.CommandLines;
import io.upcycle.config.ConfiguredCommand;
import io.upcycle.merger.file.MergeFilesCommand;
import io.upcycle.merger.service.MergerCommand;
import io.upcycle.monitor.MonitorCommand;
import io.upcycle.trainer.TrainCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code upcycle} command: one picocli command line for every subcommand, so that help, typo
 * suggestions, flag spelling and shell completion are the same everywhere. {@code upcycle --help}
 * lists the subcommands; {@code upcycle COMMAND --help} explains one.
 */
@Command(name = "upcycle", mixinStandardHelpOptions = true, version = "upcycle 0.1.0",
        description = "Stop fine-tuned experts when they start memorizing, then merge them.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Every service reads its keys from --KEY flags, --config FILE (properties or YAML), --set KEY=VALUE and"
                + " environment variables UPCYCLE_<KEY> (batch.size: --batch-size, UPCYCLE_BATCH_SIZE)."})
public final class Upcycle implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The command line with every subcommand, printing to {@code out}. */
    public static CommandLine commandLine(PrintStream out) {
        CommandLine line = new CommandLine(new Upcycle());
        line.addSubcommand(new CommandLine(new DemoCommand()));
        line.addSubcommand(new CommandLine(new StackCommand()));
        line.addSubcommand(ConfiguredCommand.commandLine(new TrainCommand()));
        line.addSubcommand(ConfiguredCommand.commandLine(new MonitorCommand()));
        line.addSubcommand(MergeFilesCommand.commandLine());
        line.addSubcommand(ConfiguredCommand.commandLine(new MergerCommand()));
        line.addSubcommand(BenchCommand.commandLine(out));
        line.addSubcommand(new CommandLine(new ExportCommand(out)));
        line.addSubcommand(new CommandLine(new AuditCommand(out)));
        line.addSubcommand(new CommandLine(new ReportCommand(out)));
        line.addSubcommand(new CommandLine(new KeysCommand(out)));
        line.addSubcommand("completion", new CommandLine(new AutoComplete.GenerateCompletion()));
        line.getSubcommands().get("completion").getCommandSpec().usageMessage().hidden(false)
                .description("Print a bash/zsh completion script: source <(upcycle completion)");
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        return CommandLines.standard(line);
    }

    public static void main(String[] argv) {
        System.exit(commandLine(System.out).execute(argv));
    }

    /** {@code upcycle} alone: the usage, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLines.USAGE;
    }
}
