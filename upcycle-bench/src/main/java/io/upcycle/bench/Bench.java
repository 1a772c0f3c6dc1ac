package io.upcycle.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.KafkaConnectionOptions;
import io.upcycle.stack.LocalStack;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * One benchmark, a subcommand of {@code upcycle bench}: checks its options, prints the machine,
 * measures, prints its human-readable report, and ends with ONE line of JSON holding its name, the
 * date, the machine and its figures, so that scripts can collect results with {@code tail -n 1}.
 * Register a new one in {@link BenchCommand#BENCHES}.
 */
public abstract class Bench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Double.class, new FiniteOrNull<>(Double.class))
            .addSerializer(Float.class, new FiniteOrNull<>(Float.class)));

    private PrintStream out = System.out;

    /** The word that selects it, e.g. {@code trainer}: its picocli command name. */
    public final String name() {
        return getClass().getAnnotation(picocli.CommandLine.Command.class).name();
    }

    /** This benchmark printing to {@code out}. */
    public final Bench printingTo(PrintStream out) {
        this.out = out;
        return this;
    }

    /** Checks the options before anything starts; throws {@link IllegalArgumentException} naming a bad one. */
    protected void validate() {
    }

    /**
     * Measures, printing progress and a report to {@code out}; returns its figures as JSON-ready
     * values (numbers, strings, booleans, lists and nested maps), in the order they should print.
     */
    protected abstract Map<String, Object> measure(PrintStream out) throws Exception;

    /** What a benchmark measures against a stack. */
    protected interface OnStack<T> {
        T measure(KafkaConnection connection) throws Exception;
    }

    /**
     * Runs {@code body} against the stack {@code given} names, or else against the embedded stack,
     * started in this JVM (sharing its cores) and stopped here.
     */
    protected static <T> T onStack(KafkaConnectionOptions given, PrintStream out, OnStack<T> body) throws Exception {
        Optional<KafkaConnection> connection = given.given();
        if (connection.isPresent()) {
            out.println("stack: " + connection.get().bootstrapServers() + ", registry " + connection.get().registryUrl());
            return body.measure(connection.get());
        }
        out.println("stack: starting the embedded Kafka broker + schema registry on 127.0.0.1 (in this JVM, sharing its cores) ...");
        try (LocalStack local = LocalStack.start()) {
            return body.measure(new KafkaConnection(local.bootstrapServers(), local.registryUrl()));
        }
    }

    @Override
    public final Integer call() throws Exception {
        validate();
        Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Machine machine = Machine.current();
        out.println("upcycle bench " + name() + " on " + date);
        List<Double> loadBefore = Machine.loadAverage();
        out.println(machine.describe());
        out.println("load average before: " + loadBefore + " (1, 5, 15 min; above the core count, timings are noisy)");
        Map<String, Object> figures = measure(out);
        List<Double> loadAfter = Machine.loadAverage();
        out.println("load average after: " + loadAfter);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", name());
        line.put("date", date.toString());
        line.put("machine", machine.asMap());
        line.put("load_average_before", loadBefore);
        line.put("load_average_after", loadAfter);
        line.put("figures", figures);
        out.println(json(line));
        out.flush();
        return 0;
    }

    /** {@code value} as one line of JSON; non-finite numbers (NaN, infinities) become {@code null}. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("figures that are not JSON: " + e.getMessage(), e);
        }
    }

    /** Writes a finite number as itself and NaN or an infinity as null, which JSON has no number for. */
    private static final class FiniteOrNull<T extends Number> extends StdSerializer<T> {
        FiniteOrNull(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator out, SerializerProvider provider) throws IOException {
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
                out.writeNull();
            } else if (value instanceof Float f) {
                out.writeNumber(f);
            } else {
                out.writeNumber(d);
            }
        }
    }
}
