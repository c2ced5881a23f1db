package org.wirebackup.alert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.run.Freshness;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunHistory;
import org.wirebackup.io.PrivateFiles;

/**
 * Alerts when the newest good backup (ok or partial: a failed run never counts) is older than the limit: once per
 * incident, and again only after a recovery and a new incident. The open incident is a file in the backup
 * directory, so a restart does not alert again for the same one.
 */
public final class FreshnessWatchdog {

    public static final String STEP = "freshness";
    private static final Logger LOG = LoggerFactory.getLogger(FreshnessWatchdog.class);

    private final CamelContext context;
    private final RunHistory store;
    private final Path incidentFile;
    private final Duration maxAge;

    public FreshnessWatchdog(CamelContext context, RunHistory store, Path backupDir, Duration maxAge) {
        this.context = context;
        this.store = store;
        this.incidentFile = backupDir.resolve(".freshness-incident");
        this.maxAge = maxAge;
    }

    public void check() throws IOException {
        check(Instant.now());
    }

    public void check(Instant now) throws IOException {
        Freshness freshness = Freshness.of(store, now);
        String staleBecause = staleBecause(freshness, now);
        boolean open = Files.exists(incidentFile);
        if (staleBecause != null && !open) {
            PrivateFiles.writeString(incidentFile, now + " " + staleBecause + "\n");
            Alerts.raise(context, new StepFailedException(freshness.latest().map(RunRecord::runId).orElse("-"), STEP,
                    "local", "-", staleBecause, "", "look at the latest runs (wire-backup check, runs/*/run.json): are"
                    + " they failing, or not starting at all?", null));
        } else if (staleBecause == null && open) {
            Files.delete(incidentFile);
            LOG.info("Backups are fresh again: {}", freshness.newestGood().map(RunRecord::runId).orElse("-"));
        }
    }

    private String staleBecause(Freshness freshness, Instant now) {
        if (freshness.newestGood().isPresent()) {
            Duration age = freshness.age().orElseThrow();
            return age.compareTo(maxAge) > 0 ? "the newest good backup (run " + freshness.newestGood().get().runId()
                    + ") finished " + age.toMinutes() + " minutes ago, more than " + maxAge.toMinutes() + " minutes" : null;
        }
        if (freshness.oldest().isPresent()) {
            RunRecord first = freshness.oldest().get();
            if (Duration.between(Instant.parse(first.startedAt()), now).compareTo(maxAge) > 0) {
                return "there is no good backup at all, and runs started " + first.runId() + " or earlier";
            }
        }
        return null;
    }
}
