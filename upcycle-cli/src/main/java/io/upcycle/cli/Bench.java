package io.upcycle.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * One benchmark of {@code upcycle bench}: runs, prints its human-readable report and returns its
 * figures, which {@link BenchCommand} prints as the last line of JSON. Register a new one in
 * {@link BenchCommand#standard()}.
 */
interface Bench {
    /** The word that selects it, e.g. {@code trainer}. */
    String name();

    /** One line for the list of benchmarks. */
    String summary();

    /** Its options, one per line, indented like the other help texts. */
    String options();

    /** The option keys it accepts (for {@link Args#requireKnown}). */
    Set<String> keys();

    /** Checks the options before anything starts; throws {@link IllegalArgumentException} naming a bad one. */
    default void validate(Args args) {
    }

    /**
     * Runs it, printing progress and a report to {@code out}; returns its figures as JSON-ready
     * values (numbers, strings, booleans, lists and nested maps), in the order they should print.
     */
    Map<String, Object> run(Args args, PrintStream out) throws Exception;
}
