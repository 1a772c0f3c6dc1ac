package io.upcycle.cli.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.upcycle.cli.Upcycle;
import io.upcycle.config.ConfigFile;
import io.upcycle.files.UpcycleHome;
import io.upcycle.model.checkpoint.CheckpointStore;
import io.upcycle.schemas.ClientConfigFile;
import io.upcycle.schemas.KafkaConnection;
import io.upcycle.schemas.TopicReader;
import io.upcycle.schemas.Topics;
import io.upcycle.schemas.avro.EndReason;
import io.upcycle.schemas.avro.ExpertRef;
import io.upcycle.schemas.avro.MergeCompleted;
import io.upcycle.schemas.avro.RunEnded;
import io.upcycle.schemas.avro.StopDecision;
import io.upcycle.stack.EmbeddedKafka;
import io.upcycle.stack.SecureListener;
import io.upcycle.stack.StackEndpoints;
import io.upcycle.testing.BasicAuthProxy;
import io.upcycle.testing.LocalStackExtension;
import io.upcycle.testing.RepositoryRoot;
import io.upcycle.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose.yaml without Docker: every Upcycle service's {@code command} and {@code environment}, run
 * through the image's {@code ENTRYPOINT} (upcycle-cli/Dockerfile) as a JVM of its own, against the
 * embedded broker and registry. The compose network's names become the stack's addresses; the
 * volume {@code upcycle-home} becomes a fresh folder holding the build's home (natives, data,
 * caches) but checkpoints and state of its own; {@code ./deploy} is the repository's. Then the
 * services must do their jobs together, as {@code docker compose up} would: the trainers train, the
 * monitor stops each run, the merger fires its plan and publishes the merge.
 *
 * <p>What the test changes, and why: the monitor's HTTP port (a free one, 7070 may be taken) and
 * bind address (127.0.0.1: a test binds loopback only), and the monitor's application id and the
 * merger's group id (other tests share this broker and use the defaults).
 */
@ExtendWith(LocalStackExtension.class)
class ComposeIT {
    private static final String KAFKA_PASSWORD = "scram-Secret-7";
    private static final String REGISTRY_PASSWORD = "registry-Secret-8";
    private static final String STORE_PASSWORD = "store-Secret-9";
    private static final Duration MERGE_LIMIT = Duration.ofMinutes(40);
    private static final Duration START_LIMIT = Duration.ofMinutes(3);
    private static final Set<String> OWN_STATE = Set.of("checkpoints", "state", "logs");

    @Test
    void shouldTrainStopAndMergeWithTheComposeServicesRunThroughTheImageEntrypoint(StackEndpoints stack, @TempDir Path work)
            throws Exception {
        // given compose.yaml, the image's entry point and the services' configuration files
        Path root = RepositoryRoot.find();
        ComposeFile compose = ComposeFile.read(root.resolve("compose.yaml"));
        ImageEntrypoint image = ImageEntrypoint.read(root.resolve("upcycle-cli/Dockerfile"));
        List<String> planRuns = List.of(ConfigFile.load(root.resolve("deploy/merger.yaml")).get("plan.runs").split(","));
        // and the services wait for a healthy broker and registry, and the registry's health check answers on this registry
        assertThat(compose.upcycleServices()).extracting(ComposeFile.Service::name)
                .contains("monitor", "merger").hasSizeGreaterThanOrEqualTo(2 + planRuns.size());
        assertThat(compose.upcycleServices()).allSatisfy(service -> assertThat(service.dependsOn())
                .containsEntry("kafka", "service_healthy").containsEntry("registry", "service_healthy"));
        String registryBase = stack.registryUrl().substring(0, stack.registryUrl().indexOf("/apis/"));
        String health = compose.service("registry").healthcheck().stream().filter(s -> s.contains("http://localhost:8080"))
                .findFirst().orElseThrow().replaceAll(".*http://localhost:8080(\\S*).*", "$1");
        assertThat(get(registryBase + health).statusCode()).as("registry health check %s", health).isEqualTo(200);
        // and keeps its schemas in the broker, as the embedded registry does with kept data (RegistryCommand)
        assertThat(compose.service("registry").environment()).containsEntry("APICURIO_STORAGE_KIND", "kafkasql")
                .containsEntry("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS", "kafka:19092");

        runLoop(compose, image, new Addresses(stack.bootstrapServers(), registryBase), Map.of(),
                new KafkaConnection(stack.bootstrapServers(), stack.registryUrl()), root, work);
    }

    @Test
    void shouldTrainStopAndMergeThroughASaslSslListenerAndARegistryBehindBasicAuth(StackEndpoints stack, @TempDir Path work)
            throws Exception {
        // given a broker with a SASL_SSL listener (a SCRAM user, a certificate made for the test), and the registry behind
        // an HTTPS proxy that wants basic auth
        Path root = RepositoryRoot.find();
        ComposeFile compose = ComposeFile.read(root.resolve("compose.yaml"));
        ImageEntrypoint image = ImageEntrypoint.read(root.resolve("upcycle-cli/Dockerfile"));
        Path secrets = Files.createDirectories(work.resolve("secrets"));
        TestCertificates certificates = TestCertificates.create(secrets, STORE_PASSWORD);
        URI upstream = URI.create(stack.registryUrl());
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary(new SecureListener(certificates.keyStore(), STORE_PASSWORD));
             BasicAuthProxy registry = BasicAuthProxy.start(upstream.getScheme() + "://" + upstream.getAuthority(), certificates,
                     "registry-user", REGISTRY_PASSWORD)) {
            kafka.createScramUser("upcycle", KAFKA_PASSWORD, "SCRAM-SHA-512");
            // and every service given one client config file, as "Connecting to a secured cluster" in the README writes it
            Path clientConfig = secureClientConfig(secrets.resolve("client.properties"), certificates, KAFKA_PASSWORD);
            Map<String, String> secured = Map.of("UPCYCLE_CLIENT_CONFIG", clientConfig.toString());
            KafkaConnection reader = new KafkaConnection(kafka.secureBootstrapServers(), registry.origin() + upstream.getPath())
                    .withClientConfig(ClientConfigFile.read(clientConfig.toString(), "client.config"));
            Addresses addresses = new Addresses(kafka.secureBootstrapServers(), registry.origin());

            // when a trainer starts with a wrong password, then it fails at once, naming the listener, not the password
            Path wrong = secureClientConfig(secrets.resolve("wrong.properties"), certificates, "not-the-" + KAFKA_PASSWORD);
            String trainer = compose.upcycleServices().stream().map(ComposeFile.Service::name).filter(n -> n.startsWith("trainer"))
                    .findFirst().orElseThrow();
            Process refused = start(compose, trainer, image, addresses, root, volumeHome(work.resolve("refused-home")),
                    Map.of(trainer, Map.of("UPCYCLE_CLIENT_CONFIG", wrong.toString())), work, "refused-" + trainer);
            assertThat(refused.waitFor(2, TimeUnit.MINUTES)).as("a trainer with a wrong password exits%n%s", logs(work)).isTrue();
            String refusal = Files.readString(work.resolve("refused-" + trainer + ".log"));
            assertThat(refused.exitValue()).as(refusal).isNotZero();
            assertThat(refusal).contains("listener at " + kafka.secureBootstrapServers())
                    .contains("security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512").contains("Authentication failed");

            // and when the compose services run with the right file, they do their jobs through the secured parts
            runLoop(compose, image, addresses, secured, reader, root, work);
            assertThat(registry.forwarded()).as("requests the registry proxy admitted").isPositive();
            // and upcycle export reads the secured topics with the same file
            Path export = work.resolve("export.log");
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            int exported = Upcycle.commandLine(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8)).execute("export",
                    "--bootstrap-servers", kafka.secureBootstrapServers(), "--schema-registry-url", registry.origin() + upstream.getPath(),
                    "--client-config", clientConfig.toString(), "--out", export.toString());
            assertThat(exported).as(printed.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(export).isNotEmptyFile();
            // and each service says how it connected
            for (String service : List.of("monitor", "merger", trainer)) {
                assertThat(Files.readString(work.resolve(service + ".log"))).as(service)
                        .contains("security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512").contains("basic auth as registry-user");
            }
        }
        // and no file the services wrote (logs, checkpoints, merge cards, the monitor's state, the export) holds a secret
        assertNoSecrets(work, Set.of("client.properties", "wrong.properties", "server.p12", "trust.p12", "server.crt"),
                KAFKA_PASSWORD, REGISTRY_PASSWORD, STORE_PASSWORD);
    }

    /** The client config file of the README's "Connecting to a secured cluster", for this test's broker and registry. */
    private static Path secureClientConfig(Path file, TestCertificates certificates, String kafkaPassword) throws IOException {
        return Files.writeString(file, String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"upcycle\" password=\""
                        + kafkaPassword + "\";",
                "ssl.truststore.location=" + certificates.trustStore(),
                "ssl.truststore.password=" + STORE_PASSWORD,
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=registry-user:" + REGISTRY_PASSWORD,
                "schema.registry.ssl.truststore.location=" + certificates.trustStore(),
                "schema.registry.ssl.truststore.password=" + STORE_PASSWORD, ""));
    }

    /** Fails naming the file when any file under {@code dir} (links not followed), except those {@code allowed}, holds a secret. */
    private static void assertNoSecrets(Path dir, Set<String> allowed, String... secrets) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(f -> !allowed.contains(f.getFileName().toString())).toList();
        }
        assertThat(files).as("files written").isNotEmpty();
        for (Path file : files) {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(16 << 20); // a checkpoint's header and metadata are at its start
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertThat(text.contains(secret)).as("%s holds a secret", file).isFalse();
            }
        }
    }

    /** Where compose's {@code kafka:19092} and {@code http://registry:8080} are in a test. */
    record Addresses(String bootstrapServers, String registryOrigin) {
    }

    /**
     * Runs the compose services against {@code addresses}, each with {@code extraEnvironment}, and checks that they
     * do their jobs together: the monitor's dashboard answers, the monitor stops each run of the plan, each trainer
     * ends on its decision, and the merger merges at the decisions' checkpoints; {@code reader} reads the topics.
     */
    static void runLoop(ComposeFile compose, ImageEntrypoint image, Addresses addresses, Map<String, String> extraEnvironment,
                                KafkaConnection reader, Path root, Path work) throws Exception {
        Map<String, String> monitorFile = ConfigFile.load(root.resolve("deploy/monitor.yaml"));
        Map<String, String> trainerFile = ConfigFile.load(root.resolve("deploy/trainer.yaml"));
        Map<String, String> mergerFile = ConfigFile.load(root.resolve("deploy/merger.yaml"));
        List<String> planRuns = List.of(mergerFile.get("plan.runs").split(","));
        long budget = Long.parseLong(trainerFile.get("steps"));
        Path home = volumeHome(work.resolve("upcycle-home"));
        int httpPort = freePort();
        String suffix = Long.toString(System.nanoTime(), 36);
        Map<String, Map<String, String>> overrides = new HashMap<>();
        for (ComposeFile.Service service : compose.upcycleServices()) {
            overrides.put(service.name(), new HashMap<>(extraEnvironment));
        }
        overrides.get("monitor").putAll(Map.of("UPCYCLE_HTTP_PORT", Integer.toString(httpPort), "UPCYCLE_HTTP_BIND_ADDRESS",
                "127.0.0.1", "UPCYCLE_APPLICATION_ID", "compose-it-monitor-" + suffix));
        overrides.get("merger").put("UPCYCLE_GROUP_ID", "compose-it-merger-" + suffix);
        Map<String, Process> processes = new LinkedHashMap<>();
        Thread stopChildren = new Thread(() -> processes.values().forEach(Process::destroy), "compose-it-stop-services");
        Runtime.getRuntime().addShutdownHook(stopChildren); // a test JVM stopped early stops the services too
        try {
            // when the monitor starts, then its dashboard answers on its port
            processes.put("monitor", start(compose, "monitor", image, addresses, root, home, overrides, work, "monitor"));
            String dashboard = "http://127.0.0.1:" + httpPort + "/";
            awaitDashboard(dashboard, processes, work);
            assertThat(get(dashboard).body()).contains("<html");

            // and when the trainers and the merger start, as compose starts them
            for (ComposeFile.Service service : compose.upcycleServices()) {
                if (!service.name().equals("monitor")) {
                    processes.put(service.name(), start(compose, service.name(), image, addresses, root, home, overrides, work, service.name()));
                }
            }

            // then the merger fires its plan and exits, and every trainer has ended
            Process merger = processes.get("merger");
            boolean merged = merger.waitFor(MERGE_LIMIT.toMinutes(), TimeUnit.MINUTES);
            assertThat(merged).as("merger exited within %s%n%s", MERGE_LIMIT, logs(work)).isTrue();
            assertThat(merger.exitValue()).as("merger exit code%n%s", logs(work)).isZero();
            for (Map.Entry<String, Process> entry : processes.entrySet()) {
                if (entry.getKey().startsWith("trainer")) {
                    assertThat(entry.getValue().waitFor(2, TimeUnit.MINUTES)).as("%s exited%n%s", entry.getKey(), logs(work)).isTrue();
                    assertThat(entry.getValue().exitValue()).as("%s exit code%n%s", entry.getKey(), logs(work)).isZero();
                }
            }
            KafkaConnection connection = reader;
            Topics topics = Topics.connect(connection);
            Map<String, StopDecision> decisions = new HashMap<>();
            TopicReader.readToEnd(connection, topics.stopDecisions(), Duration.ofMinutes(1), r -> {
                if (planRuns.contains(r.key())) {
                    decisions.put(r.key(), r.value());
                }
            }, e -> { });
            Map<String, RunEnded> ends = new HashMap<>();
            TopicReader.readToEnd(connection, topics.runs(), Duration.ofMinutes(1), r -> {
                if (planRuns.contains(r.key()) && r.value().getEvent() instanceof RunEnded ended) {
                    ends.put(r.key(), ended);
                }
            }, e -> { });
            List<MergeCompleted> merges = new ArrayList<>();
            TopicReader.readToEnd(connection, topics.mergeResults(), Duration.ofMinutes(1), r -> {
                if (r.value().getPlanId().equals(mergerFile.get("plan.id"))) {
                    merges.add(r.value());
                }
            }, e -> { });
            // the monitor decided, as configured, for each run, and each trainer stopped on that decision before its budget
            assertThat(decisions.keySet()).containsExactlyInAnyOrderElementsOf(planRuns);
            for (String run : planRuns) {
                StopDecision decision = decisions.get(run);
                assertThat(decision.getMode().name()).isEqualTo(monitorFile.get("decision.mode"));
                assertThat(decision.getPolicy()).isEqualTo(monitorFile.get("policy.name"));
                RunEnded end = ends.get(run);
                assertThat(end).as("RunEnded of %s", run).isNotNull();
                assertThat(end.getReason()).as("end of %s", run).isEqualTo(EndReason.STOPPED);
                assertThat(end.getStopDecisionId()).isEqualTo(decision.getDecisionId());
                assertThat(end.getFinalStep()).isBetween(decision.getDecidedAtStep(), budget - 1);
            }
            // the merger merged both experts, at their decisions' checkpoints, with the plan's method, and wrote the output
            assertThat(merges).hasSize(1);
            MergeCompleted merge = merges.get(0);
            assertThat(merge.getMethod()).isEqualTo(mergerFile.get("plan.method"));
            assertThat(merge.getExperts()).extracting(ExpertRef::getRunId).containsExactlyInAnyOrderElementsOf(planRuns);
            for (ExpertRef expert : merge.getExperts()) {
                assertThat(expert.getStep()).isEqualTo(decisions.get(expert.getRunId()).getCheckpointStep());
            }
            assertThat(merge.getScores()).hasSize(planRuns.size())
                    .allSatisfy(score -> assertThat(score.getMergedAccuracy()).isBetween(0.0, 1.0));
            assertThat(CheckpointStore.toPath(merge.getOutputUri())).isRegularFile().startsWith(home);
            // and the dashboard lists both runs
            String runs = get("http://127.0.0.1:" + httpPort + "/api/runs").body();
            assertThat(runs).contains(planRuns);
        } finally {
            for (Process process : processes.values()) {
                process.destroy(); // SIGTERM: each service's shutdown hook stops what it started
            }
            for (Process process : processes.values()) {
                if (!process.waitFor(1, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                }
            }
            Runtime.getRuntime().removeShutdownHook(stopChildren);
        }
    }

    /** Starts {@code name} as its container would: the image's entry point and environment, then the service's. */
    private static Process start(ComposeFile compose, String name, ImageEntrypoint image, Addresses addresses, Path root, Path home,
                                 Map<String, Map<String, String>> overrides, Path work, String logName) throws IOException {
        ComposeFile.Service service = compose.service(name);
        ContainerMapping mapping = new ContainerMapping()
                .map("kafka:19092", addresses.bootstrapServers())
                .map("http://registry:8080", addresses.registryOrigin())
                .volumes(service.volumes(), root, Map.of("upcycle-home", home));
        List<String> command = new ArrayList<>();
        List<String> entrypoint = image.entrypoint();
        for (int i = 0; i < entrypoint.size(); i++) {
            String arg = entrypoint.get(i);
            if (i == 0) {
                command.add(ProcessHandle.current().info().command()
                        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            } else if (i > 0 && entrypoint.get(i - 1).equals("-cp")) {
                command.add(System.getProperty("java.class.path")); // the image's /opt/upcycle/lib: this module's classpath
            } else {
                command.add(mapping.apply(arg));
            }
        }
        command.addAll(mapping.apply(service.command()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(logName + ".log").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("UPCYCLE_") || key.equals("TENSORFLOW_LIBRARY_PATH"));
        image.environment().forEach((key, value) -> environment.put(key, mapping.apply(value)));
        service.environment().forEach((key, value) -> environment.put(key, mapping.apply(value)));
        environment.putAll(overrides.getOrDefault(name, Map.of()));
        return builder.start();
    }

    /**
     * The folder standing in for the volume {@code upcycle-home}: as the image's home, a new volume starts with what
     * the build put there, here links to this build's home; checkpoints, state and logs are its own.
     */
    private static Path volumeHome(Path home) throws IOException {
        Files.createDirectories(home);
        Path built = UpcycleHome.resolve();
        Files.createDirectories(built);
        try (Stream<Path> entries = Files.list(built)) {
            for (Path entry : entries.toList()) {
                if (!OWN_STATE.contains(entry.getFileName().toString())) {
                    Files.createSymbolicLink(home.resolve(entry.getFileName()), entry.toAbsolutePath());
                }
            }
        }
        return home;
    }

    private static void awaitDashboard(String url, Map<String, Process> processes, Path work) {
        await().atMost(START_LIMIT).pollInterval(Duration.ofMillis(500)).ignoreException(UncheckedIOException.class)
                .alias("the monitor's dashboard " + url + " answering")
                .until(() -> {
                    assertThat(processes.get("monitor").isAlive()).as("monitor is running%n%s", logs(work)).isTrue();
                    return get(url).statusCode() == 200;
                });
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last lines of every service's log, for a failure's message. */
    private static String logs(Path work) {
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(f -> f.toString().endsWith(".log")).sorted().map(f -> {
                try {
                    List<String> lines = Files.readAllLines(f);
                    return "== " + f.getFileName() + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
                } catch (IOException e) {
                    return "== " + f.getFileName() + ": " + e.getMessage();
                }
            }).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no logs: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
