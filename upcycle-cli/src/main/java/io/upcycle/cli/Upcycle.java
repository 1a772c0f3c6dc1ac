package io.upcycle.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code upcycle} command. {@code upcycle --help} lists the subcommands;
 * {@code upcycle COMMAND --help} explains one.
 */
public final class Upcycle {
    private final Map<String, Command> commands = new LinkedHashMap<>();

    Upcycle(List<Command> commands) {
        commands.forEach(command -> this.commands.put(command.name(), command));
    }

    /** The registry of subcommands. */
    static Upcycle standard() {
        return new Upcycle(List.of(new DemoCommand(), new StackCommand(), new TrainCommand(), new MonitorCommand(), new MergeCommand(),
                BenchCommand.standard(), new ExportCommand(System.out), new AuditCommand(System.out),
                new ReportCommand(System.out)));
    }

    public static void main(String[] argv) {
        int code;
        try {
            code = standard().run(Arrays.asList(argv));
        } catch (IllegalArgumentException e) {
            System.err.println("upcycle: " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            System.err.println("upcycle: failed: " + e);
            e.printStackTrace(System.err);
            code = 1;
        }
        System.exit(code);
    }

    int run(List<String> argv) throws Exception {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h") || argv.get(0).equals("help")) {
            System.out.println(usage());
            return argv.isEmpty() ? 2 : 0;
        }
        Command command = commands.get(argv.get(0));
        if (command == null) {
            throw new IllegalArgumentException("unknown command '" + argv.get(0) + "' (known: " + String.join(", ", commands.keySet()) + ")");
        }
        List<String> rest = argv.subList(1, argv.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.println(command.help());
            return 0;
        }
        if (command instanceof ServiceCommand service) {
            return service.runWith(rest);
        }
        return command.run(Args.parse(rest, Set.of("help", "quick", "keep")));
    }

    String usage() {
        StringBuilder text = new StringBuilder("""
                Upcycle: stop fine-tuned experts when they start memorizing, then merge them.

                Usage: upcycle COMMAND [OPTIONS]     (upcycle COMMAND --help for its options)

                Commands:
                """);
        commands.values().forEach(c -> text.append(String.format("  %-9s %s%n", c.name(), c.summary())));
        return text.toString();
    }
}
