package org.wirebackup.restore.drill;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The drill records as Prometheus gauges: when the newest good drill finished, its RTO and RPO, and the latest
 * drill's status. Read from {@code BACKUP_DIR/drills/} when scraped, at most every 30 s, so a drill run from cron
 * beside the service shows up too.
 */
public final class DrillMetrics {

    private static final long REREAD_NANOS = 30_000_000_000L;

    private final DrillHistory store;
    private final java.util.Set<String> partsRegistered = new java.util.HashSet<>();
    private MeterRegistry registry;
    private List<DrillRecord> cached = List.of();
    private long readAt;
    private boolean read;

    public DrillMetrics(DrillHistory store) {
        this.store = store;
    }

    public synchronized void bind(MeterRegistry meters) {
        this.registry = meters;
        gauge(meters, "wire_backup_last_drill_success_timestamp_seconds", "When the newest good drill finished",
                d -> d.newestGood == null ? 0 : Instant.parse(d.newestGood.finishedAt()).getEpochSecond());
        gauge(meters, "wire_backup_last_drill_rto_seconds", "The newest good drill's RTO: start to all parts proven",
                d -> d.newestGood == null ? 0 : d.newestGood.durationMillis() / 1000.0);
        gauge(meters, "wire_backup_last_drill_rpo_seconds", "The age of the backup the newest good drill proved",
                d -> d.newestGood == null || d.newestGood.rpoSeconds() == null ? 0 : d.newestGood.rpoSeconds());
        gauge(meters, "wire_backup_last_drill_status", "The latest drill: 0 ok, 2 failed, -1 none",
                d -> d.latest == null ? -1 : DrillRecord.OK.equals(d.latest.status()) ? 0 : 2);
        registerParts();
    }

    /** After a drill of this process: its figures now, and a gauge for each part not seen before. */
    public synchronized void drilled() {
        read = false;
        registerParts();
    }

    /** One duration gauge per part the latest drill restored, each registered once, whatever the number of drills. */
    private void registerParts() {
        DrillRecord latest = drills().latest();
        if (latest == null || registry == null) {
            return;
        }
        for (DrillRecord.Part part : latest.parts()) {
            if (partsRegistered.add(part.name())) {
                String name = part.name();
                Gauge.builder("wire_backup_last_drill_part_duration_seconds", this, m -> m.drills().latest() == null ? 0
                                : m.drills().latest().parts().stream().filter(p -> p.name().equals(name))
                                .mapToDouble(p -> p.durationMillis() / 1000.0).findFirst().orElse(0))
                        .tag("part", name).description("How long the latest drill took to restore and prove the part")
                        .register(registry);
            }
        }
    }

    private void gauge(MeterRegistry meters, String name, String description, ToDoubleFunction<Drills> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.drills())).description(description).register(meters);
    }

    private record Drills(DrillRecord latest, DrillRecord newestGood) {
    }

    private synchronized Drills drills() {
        long now = System.nanoTime();
        if (!read || now - readAt > REREAD_NANOS) {
            try {
                cached = store.newestFirst();
            } catch (IOException e) {
                // keep what was read before: a scrape never fails on the disk
            }
            read = true;
            readAt = now;
        }
        return new Drills(cached.isEmpty() ? null : cached.get(0),
                cached.stream().filter(d -> DrillRecord.OK.equals(d.status())).findFirst().orElse(null));
    }
}
