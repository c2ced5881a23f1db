package org.wirebackup.run;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.HashSet;

/**
 * The run record as Prometheus metrics (camel-micrometer-prometheus, scraped from the management server): last
 * success time, last run's status and duration, bytes and duration per source and destination, failures. Read from
 * the records at start, so a restart does not forget the last success.
 */
public final class RunMetrics {

    private final AtomicReference<RunRecord> latest = new AtomicReference<>();
    private final AtomicReference<RunRecord> latestGood = new AtomicReference<>();
    private MeterRegistry registry;
    private Counter failures;
    /** The per-source and per-destination gauges already registered: each once, whatever the number of runs. */
    private final Set<String> registered = new HashSet<>();

    private final RunHistory history;

    public RunMetrics(RunHistory history) throws IOException {
        this.history = history;
        refresh();
    }

    /** Reads the history again: with a cluster, the other instances' runs count too. */
    public synchronized void refresh() throws IOException {
        Freshness freshness = Freshness.of(history, Instant.now());
        freshness.latest().ifPresent(latest::set);
        freshness.newestGood().ifPresent(latestGood::set);
        if (registry != null && latest.get() != null) {
            perPart(latest.get());
        }
    }

    /** Called once the application's meter registry exists. */
    public synchronized void bind(MeterRegistry meters) {
        this.registry = meters;
        Gauge.builder("wire_backup_last_success_timestamp_seconds", latestGood,
                        r -> r.get() == null ? 0 : Instant.parse(r.get().finishedAt()).getEpochSecond())
                .description("When the newest good (ok or partial) run finished").register(meters);
        Gauge.builder("wire_backup_last_run_status", latest, r -> r.get() == null ? -1 : switch (r.get().status()) {
                    case OK -> 0;
                    case PARTIAL -> 1;
                    case FAILED -> 2;
                    case RUNNING -> 3;
                }).description("The newest run: 0 ok, 1 partial, 2 failed").register(meters);
        Gauge.builder("wire_backup_last_run_duration_seconds", latest,
                r -> r.get() == null || r.get().durationMillis() == null ? 0 : r.get().durationMillis() / 1000.0)
                .register(meters);
        Gauge.builder("wire_backup_last_full_backup_bytes", latestGood,
                r -> r.get() == null ? 0 : r.get().fullBackup().bytes()).register(meters);
        failures = Counter.builder("wire_backup_failures_total").description("Alerts raised since start")
                .register(meters);
        RunRecord current = latest.get();
        if (current != null) {
            perPart(current);
        }
    }

    public synchronized void finished(RunRecord record) {
        latest.set(record);
        if (record.good()) {
            latestGood.set(record);
        }
        if (registry != null) {
            perPart(record);
        }
    }

    public synchronized void failure() {
        if (failures != null) {
            failures.increment();
        }
    }

    private void perPart(RunRecord record) {
        for (SourceRecord source : record.sources()) {
            String name = source.name();
            if (!registered.add("source " + name)) {
                continue;
            }
            Gauge.builder("wire_backup_source_bytes", latest, r -> sourceValue(r.get(), name, true))
                    .tag("source", name).register(registry);
            Gauge.builder("wire_backup_source_duration_seconds", latest, r -> sourceValue(r.get(), name, false))
                    .tag("source", name).register(registry);
        }
        for (DestinationRecord destination : record.destinations()) {
            String name = destination.name();
            if (!registered.add("destination " + name)) {
                continue;
            }
            Gauge.builder("wire_backup_destination_ok", latest, r -> destinationValue(r.get(), name, true))
                    .tag("destination", name).register(registry);
            Gauge.builder("wire_backup_destination_duration_seconds", latest, r -> destinationValue(r.get(), name, false))
                    .tag("destination", name).register(registry);
            Gauge.builder("wire_backup_destination_bytes", latest, r -> destinationBytes(r.get(), name))
                    .tag("destination", name).register(registry);
        }
    }

    private static double sourceValue(RunRecord record, String name, boolean bytes) {
        if (record == null) {
            return 0;
        }
        return record.sources().stream().filter(s -> s.name().equals(name)).findFirst()
                .map(s -> bytes ? (s.bytes() == null ? 0.0 : s.bytes().doubleValue())
                        : (s.durationMillis() == null ? 0.0 : s.durationMillis() / 1000.0)).orElse(0.0);
    }

    /** The full backup's size when the destination has a verified copy of it, else 0. */
    private static double destinationBytes(RunRecord record, String name) {
        if (record == null || record.fullBackup() == null) {
            return 0;
        }
        return record.destinations().stream().anyMatch(d -> d.name().equals(name) && d.verified())
                ? record.fullBackup().bytes() : 0;
    }

    private static double destinationValue(RunRecord record, String name, boolean ok) {
        if (record == null) {
            return 0;
        }
        return record.destinations().stream().filter(d -> d.name().equals(name)).findFirst()
                .map(d -> ok ? (d.verified() ? 1.0 : 0.0) : (d.durationMillis() == null ? 0.0 : d.durationMillis() / 1000.0))
                .orElse(0.0);
    }
}
