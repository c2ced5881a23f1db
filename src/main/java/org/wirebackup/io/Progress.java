package org.wirebackup.io;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reports a long transfer at an interval: bytes so far, rate, and (when the total is known) percent and ETA.
 * Cheap to call on every write; it only speaks when the interval has passed.
 */
public final class Progress {

    private final String what;
    private final long total;
    private final long intervalNanos;
    private final Consumer<String> sink;
    private final long started = System.nanoTime();
    private long nextReport;
    private long bytes;

    /** @param total the expected size, or -1 when unknown (a capture) */
    public Progress(String what, long total, Duration interval, Consumer<String> sink) {
        this.what = what;
        this.total = total;
        this.intervalNanos = interval.toNanos();
        this.sink = sink;
        this.nextReport = started + intervalNanos;
    }

    public synchronized void add(long count) {
        bytes += count;
        long now = System.nanoTime();
        if (now >= nextReport) {
            nextReport = now + intervalNanos;
            sink.accept(line(now));
        }
    }

    String line(long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        double rate = bytes / seconds;
        StringBuilder text = new StringBuilder(what).append(": ").append(String.format(Locale.ROOT, "%.1f MB", bytes / 1e6));
        if (total > 0) {
            text.append(String.format(Locale.ROOT, " of %.1f MB (%.0f%%)", total / 1e6, 100.0 * bytes / total));
        }
        text.append(String.format(Locale.ROOT, ", %.1f MB/s", rate / 1e6));
        if (total > 0 && rate > 0) {
            long eta = (long) ((total - bytes) / rate);
            text.append(", ETA ").append(Duration.ofSeconds(eta).toString().substring(2).toLowerCase(Locale.ROOT));
        }
        return text.toString();
    }
}
