package org.wirebackup.destination;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.alert.Alerts;
import org.wirebackup.archive.ChecksumSidecar;
import org.wirebackup.alert.StepFailedException;
import org.wirebackup.run.BackupRun;
import org.wirebackup.run.DestinationRecord;
import org.wirebackup.run.RunRecord;
import org.wirebackup.ssh.HostKeyRejectedException;

/**
 * Sends a verified full backup to every destination, in parallel and independently: each destination is a route
 * of the group {@value #GROUP} (one YAML file in routes/), tried again with backoff when it fails. Every outcome goes
 * into the run record; every destination that finally failed raises an alert. The local backup is never touched.
 */
public final class FanOutStep {

    public static final String GROUP = "wire-backup-destination";
    public static final String STEP = "copy";
    private static final Logger LOG = LoggerFactory.getLogger(FanOutStep.class);

    private final CamelContext context;
    private final int retries;
    private final Duration retryDelay;

    private final String installationId;

    public FanOutStep(CamelContext context, int retries, Duration retryDelay, String installationId) {
        this.context = context;
        this.retries = retries;
        this.retryDelay = retryDelay;
        this.installationId = installationId;
    }

    public void fanOut(BackupRun run) throws Exception {
        RunRecord.FullBackupRecord backup = run.fullBackup();
        List<Route> destinations = context.getRoutes().stream().filter(r -> GROUP.equals(r.getGroup()))
                .sorted(Comparator.comparing(Route::getRouteId)).toList();
        if (destinations.isEmpty()) {
            LOG.info("Run {}: no destinations configured (routes of group {}): the full backup stays here only",
                    run.id(), GROUP);
            return;
        }
        ExecutorService pool = context.getExecutorServiceManager().newFixedThreadPool(this, "fan-out",
                destinations.size());
        try (ProducerTemplate template = context.createProducerTemplate()) {
            List<Future<DestinationRecord>> copies = new ArrayList<>();
            for (Route destination : destinations) {
                copies.add(pool.submit(() -> copy(template, run, backup, destination)));
            }
            for (Future<DestinationRecord> copy : copies) {
                DestinationRecord result = copy.get();
                run.recordDestination(result);
                if (!result.ok()) {
                    Alerts.raise(context, new StepFailedException(run.id(), STEP, result.name(), "-", "destination "
                            + result.name() + " failed after " + result.attempts() + " attempts: " + result.error(),
                            "", "the local full backup is intact; check the destination, then copy it by hand or wait"
                            + " for the next run", null));
                }
            }
        } finally {
            context.getExecutorServiceManager().shutdown(pool);
        }
    }

    private DestinationRecord copy(ProducerTemplate template, BackupRun run, RunRecord.FullBackupRecord backup,
                                   Route destination) throws InterruptedException {
        String name = destination.getRouteId();
        Instant started = Instant.now();
        Duration delay = retryDelay;
        String error = null;
        for (int attempt = 1; attempt <= retries + 1; attempt++) {
            try {
                // an operator's own route cannot ask the fence itself: asked before each try
                run.fence().check("copying to " + name);
            } catch (org.wirebackup.run.Fence.LockLostException lost) {
                Instant finished = Instant.now();
                return new DestinationRecord(name, DestinationRecord.FAILED, null, attempt, started.toString(),
                        finished.toString(), Duration.between(started, finished).toMillis(), lost.getMessage(), null,
                        null);
            }
            Exchange result = template.request(destination.getEndpoint(), exchange -> {
                Path file = Path.of(backup.file());
                exchange.getIn().setBody(file.toFile());
                exchange.getIn().setHeader(Exchange.FILE_NAME, file.getFileName().toString());
                exchange.getIn().setHeader(FullBackupHeaders.RUN_ID, run.id());
                exchange.getIn().setHeader(FullBackupHeaders.RUN_DIR, run.dir().toString());
                exchange.getIn().setHeader(FullBackupHeaders.FENCE, run.fence());
                exchange.getIn().setHeader(FullBackupHeaders.FILE, backup.file());
                exchange.getIn().setHeader(FullBackupHeaders.FILE_NAME, file.getFileName().toString());
                exchange.getIn().setHeader(FullBackupHeaders.SHA256, backup.sha256());
                exchange.getIn().setHeader(FullBackupHeaders.BYTES, backup.bytes());
                exchange.getIn().setHeader(FullBackupHeaders.DESTINATION, name);
                exchange.getIn().setHeader(FullBackupHeaders.INSTALLATION, installationId);
            });
            Exception failure = result.getException();
            if (failure == null) {
                Instant finished = Instant.now();
                List<String> warnings = new ArrayList<>(warnings(result));
                if (!Boolean.TRUE.equals(result.getMessage().getHeader(FullBackupHeaders.CHECKSUM_COPIED, Boolean.class))) {
                    copyChecksum(template, destination, run, backup).ifPresent(warnings::add);
                }
                String verifiedBy = result.getMessage().getHeader(FullBackupHeaders.VERIFIED_BY, String.class);
                if (verifiedBy == null) {
                    warnings.add("unverified: this route does not check what it wrote (no " + FullBackupHeaders.VERIFIED_BY
                            + " header); run `wire-backup verify` on the copy");
                }
                warnings.forEach(w -> LOG.warn("Run {}: destination {}: {}", run.id(), name, w));
                return new DestinationRecord(name, verifiedBy == null ? DestinationRecord.UNVERIFIED : DestinationRecord.OK,
                        result.getMessage().getHeader(FullBackupHeaders.LOCATION, String.class), attempt,
                        started.toString(), finished.toString(), Duration.between(started, finished).toMillis(), null,
                        warnings.isEmpty() ? null : warnings, verifiedBy,
                        result.getMessage().getHeader(FullBackupHeaders.PART_SIZE_USED, Long.class));
            }
            error = failure.getMessage();
            if (attempt <= retries && causedBy(failure, org.wirebackup.run.Fence.LockLostException.class)) {
                Instant finished = Instant.now();
                return new DestinationRecord(name, DestinationRecord.FAILED, null, attempt, started.toString(),
                        finished.toString(), Duration.between(started, finished).toMillis(), error, null, null);
            }
            if (attempt <= retries && refusedHostKey(failure)) {
                LOG.warn("Run {}: destination {} refused: its host key is not the one in backup.ssh.known-hosts; not"
                        + " trying again (a retry cannot change a host key)", run.id(), name);
                Instant finished = Instant.now();
                return new DestinationRecord(name, DestinationRecord.FAILED, null, attempt, started.toString(),
                        finished.toString(), Duration.between(started, finished).toMillis(), error
                        + " (not tried again: a refused host key is no transient error)", null, null);
            }
            if (attempt <= retries) {
                LOG.warn("Run {}: destination {} failed (attempt {} of {}), trying again in {}: {}", run.id(), name,
                        attempt, retries + 1, delay, error);
                Thread.sleep(delay.toMillis());
                delay = delay.multipliedBy(2);
            }
        }
        Instant finished = Instant.now();
        return new DestinationRecord(name, DestinationRecord.FAILED, null, retries + 1, started.toString(),
                finished.toString(), Duration.between(started, finished).toMillis(), error, null, null);
    }

    /**
     * The full backup's {@code .sha256}, as a second message to a destination that did not copy it itself (an
     * operator's route, e.g. a plain {@code file:} route writes it beside the copy under its own name).
     *
     * @return a warning when it could not be copied
     */
    private static java.util.Optional<String> copyChecksum(ProducerTemplate template, Route destination, BackupRun run,
                                                           RunRecord.FullBackupRecord backup) {
        Path sidecar = ChecksumSidecar.of(Path.of(backup.file()));
        Exchange result = template.request(destination.getEndpoint(), exchange -> {
            exchange.getIn().setBody(sidecar.toFile());
            exchange.getIn().setHeader(Exchange.FILE_NAME, sidecar.getFileName().toString());
            exchange.getIn().setHeader(FullBackupHeaders.RUN_ID, run.id());
            exchange.getIn().setHeader(FullBackupHeaders.CHECKSUM_OF, Path.of(backup.file()).getFileName().toString());
            exchange.getIn().setHeader(FullBackupHeaders.DESTINATION, destination.getRouteId());
        });
        return result.getException() == null ? java.util.Optional.empty() : java.util.Optional.of("the copy is there,"
                + " but its " + sidecar.getFileName() + " could not be copied: " + result.getException().getMessage());
    }

    private static boolean refusedHostKey(Throwable failure) {
        return causedBy(failure, HostKeyRejectedException.class);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> warnings(Exchange result) {
        List<?> warnings = result.getMessage().getHeader(FullBackupHeaders.WARNINGS, List.class);
        return warnings == null ? List.of() : warnings.stream().map(String::valueOf).toList();
    }
}
