package io.upcycle.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Main class of a separate JVM for {@link ChildProcessLifecycleIT}: starts a registry ({@code registry})
 * or a whole stack ({@code stack}), writes what it started to the file named by the second
 * argument (registry pid, registry log, Kafka log folder or "-"), and waits to be killed.
 */
final class StackHolder {

    private StackHolder() {
    }

    public static void main(String[] args) throws Exception {
        List<String> started;
        if ("stack".equals(args[0])) {
            LocalStack stack = LocalStack.start();
            started = describe(stack.registry(), stack.kafka().logDir().toString());
        } else {
            started = describe(EmbeddedRegistry.start(), "-");
        }
        Path out = Path.of(args[1]);
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        Files.write(partial, started);
        Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await(); // hold the stack until the test kills this JVM
    }

    private static List<String> describe(EmbeddedRegistry registry, String kafkaLogDir) {
        return List.of(Long.toString(registry.pid()), registry.logFile().toString(), kafkaLogDir);
    }
}
