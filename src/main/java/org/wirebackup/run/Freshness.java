package org.wirebackup.run;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** How fresh the backups are, read from the run records: what {@code check} and the watchdog both judge. */
public record Freshness(Optional<RunRecord> newestGood, Optional<RunRecord> latest, Optional<RunRecord> oldest,
                        Instant now) {

    public static Freshness of(RunHistory store, Instant now) throws IOException {
        List<RunRecord> finished = store.all().stream().filter(r -> r.status() != RunStatus.RUNNING).toList();
        return new Freshness(finished.stream().filter(RunRecord::good).reduce((a, b) -> b),
                finished.isEmpty() ? Optional.empty() : Optional.of(finished.get(finished.size() - 1)),
                finished.stream().findFirst(), now);
    }

    /** How long ago the newest good backup finished; empty when there is none. */
    public Optional<Duration> age() {
        return newestGood.map(r -> Duration.between(Instant.parse(r.finishedAt()), now));
    }

    /** The newest run failed or was partial (a good backup may still be fresh). */
    public boolean latestRunBad() {
        return latest.isPresent() && latest.get().status() != RunStatus.OK;
    }
}
