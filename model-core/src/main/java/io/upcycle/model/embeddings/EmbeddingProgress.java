package io.upcycle.model.embeddings;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Logs how an embedding job advances: texts done, texts per second and time left, at most every
 * {@link #INTERVAL_NANOS} and once at the end.
 */
final class EmbeddingProgress {
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final Logger log;
    private final String job;
    private final int total;
    private final long start = System.nanoTime();
    private long lastLog = start;
    private int done;

    EmbeddingProgress(Logger log, String job, int total) {
        this.log = log;
        this.job = job;
        this.total = total;
    }

    void advance(int texts) {
        done += texts;
        long now = System.nanoTime();
        if (done >= total || now - lastLog >= INTERVAL_NANOS) {
            lastLog = now;
            double seconds = Math.max(1e-9, (now - start) / 1e9);
            double rate = done / seconds;
            long etaSeconds = rate > 0 ? Math.round((total - done) / rate) : 0;
            log.info("embedding {}: {}/{} texts ({}%), {} texts/s, {} {}", job, done, total,
                    String.format("%.1f", 100.0 * done / total), String.format("%.1f", rate),
                    done >= total ? "took" : "ETA", format(Duration.ofSeconds(done >= total ? Math.round(seconds) : etaSeconds)));
        }
    }

    static String format(Duration duration) {
        long s = duration.toSeconds();
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
