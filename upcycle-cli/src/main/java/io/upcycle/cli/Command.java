package io.upcycle.cli;

/** One subcommand of {@code upcycle}. */
interface Command {
    /** The word that selects it, e.g. {@code demo}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** Full help: usage and options. */
    String help();

    /** Runs it; returns the process exit code. */
    int run(Args args) throws Exception;
}
