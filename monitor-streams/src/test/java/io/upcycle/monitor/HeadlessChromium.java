package io.upcycle.monitor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.upcycle.testing.DebianPackages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for the dashboard test. When {@code /usr/bin/chromium} is missing
 * and the test runs as root, it installs the {@code chromium} package with apt-get (the project's
 * own test set-up); otherwise the test is skipped with the reason. Flags: no sandbox (root), no
 * GPU, and no background networking, since this machine's network is closed.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    /** Makes sure Chromium is there, installing it if possible; skips the test otherwise. */
    static void require() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        assumeTrue(DebianPackages.canInstall(),
                "Debian's chromium is not installed at /usr/bin/chromium and installing it needs root (apt-get install -y chromium)");
        DebianPackages.install(List.of("chromium"));
        assumeTrue(Files.isExecutable(BINARY), "apt-get could not install chromium (see the test log)");
    }

    /** Loads {@code url}, lets its scripts run for {@code budgetMs} of virtual time, and returns the DOM. */
    static String dumpDom(String url, int budgetMs, Path profile) throws IOException, InterruptedException {
        List<String> command = command(profile, budgetMs);
        command.add("--dump-dom");
        command.add(url);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("chromium --dump-dom failed on " + url);
        }
        return dom;
    }

    /** Saves a PNG of {@code url} after {@code budgetMs} of virtual time. */
    static void screenshot(String url, int budgetMs, Path profile, Path png) throws IOException, InterruptedException {
        List<String> command = command(profile, budgetMs);
        command.add("--window-size=1280,1400");
        command.add("--screenshot=" + png.toAbsolutePath());
        command.add(url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium --screenshot timed out on " + url);
        }
    }

    private static List<String> command(Path profile, int budgetMs) {
        return new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(), "--virtual-time-budget=" + budgetMs));
    }
}
