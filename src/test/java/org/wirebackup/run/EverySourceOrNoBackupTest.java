package org.wirebackup.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.apache.camel.model.BeanDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.AdvisedRun;
import org.wirebackup.source.CaptureStep;
import org.wirebackup.source.CapturedFile;
import org.wirebackup.source.CaptureContext;
import org.wirebackup.source.Compression;
import org.wirebackup.source.Source;
import org.wirebackup.ssh.SshTarget;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;

/**
 * A run is ok only when every configured source produced a verified part: a capture that ends in any exception, not
 * only the expected step failures, fails its source, and no full backup is ever made without it.
 */
class EverySourceOrNoBackupTest {

    @TempDir
    Path tmp;

    @Test
    void aCaptureThatThrowsSomethingUnexpectedFailsItsSourceAndTheRun() throws Exception {
        try (TestInstallation wire = installationWithMinio(); LogCapture alerts = LogCapture.alerts()) {
            BackupRun run = runWithCaptureReplacedBy(wire, (step, exchange) -> {
                BackupRun.SourceCapture capture = exchange.getIn().getBody(BackupRun.SourceCapture.class);
                Source source = capture.source();
                if (source.kind().equals("minio")) {
                    source = new Exploding(source);
                }
                step.capture(new BackupRun.SourceCapture(capture.run(), source));
            });

            RunRecord record = run.finalRecord();
            assertThat(record.status()).isEqualTo(RunStatus.FAILED);
            assertThat(record.fullBackup()).isNull();
            SourceRecord minio = record.sources().stream().filter(s -> s.kind().equals("minio")).findFirst().orElseThrow();
            assertThat(minio.status()).isEqualTo(SourceRecord.FAILED);
            assertThat(minio.error().message()).contains("unexpected error", "parser bug");
            assertThat(alerts.text()).contains("parser bug");
            assertNoFullBackup(wire);
        }
    }

    @Test
    void aSourceWhoseCaptureLeftNoRecordAtAllStopsTheRunBeforeAggregation() throws Exception {
        try (TestInstallation wire = installationWithMinio(); LogCapture alerts = LogCapture.alerts()) {
            BackupRun run = runWithCaptureReplacedBy(wire, (step, exchange) -> {
                BackupRun.SourceCapture capture = exchange.getIn().getBody(BackupRun.SourceCapture.class);
                if (capture.source().kind().equals("minio")) {
                    throw new IllegalStateException("the capture thread died");
                }
                step.capture(capture);
            });

            RunRecord record = run.finalRecord();
            assertThat(record.status()).isEqualTo(RunStatus.FAILED);
            assertThat(record.fullBackup()).isNull();
            assertThat(record.error()).contains("capture failed", "no capture result for minio-");
            assertThat(alerts.text()).contains("no capture result for minio-");
            assertNoFullBackup(wire);
        }
    }

    private interface CaptureReplacement {
        void capture(CaptureStep step, org.apache.camel.Exchange exchange) throws Exception;
    }

    private static BackupRun runWithCaptureReplacedBy(TestInstallation wire, CaptureReplacement replacement)
            throws Exception {
        return AdvisedRun.run(wire.writeSettings(), "capture-source", (context, route) -> {
            CaptureStep step = context.getRegistry().findSingleByType(CaptureStep.class);
            route.weaveByType(BeanDefinition.class).replace().process(exchange -> replacement.capture(step, exchange));
        });
    }

    private TestInstallation installationWithMinio() throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
        Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {replicas: 3}\n");
        Path minio = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/assets"));
        Files.writeString(minio.resolve("3-2-abc"), "an image");
        return wire.set("backup.minio.hosts", wire.ssh.hostSpec()).set("backup.minio.dirs", minio.getParent().toString());
    }

    private static void assertNoFullBackup(TestInstallation wire) throws Exception {
        try (Stream<Path> files = Files.list(wire.backupDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("full-backup-"));
        }
    }

    /** A source whose capture hits a bug: an exception no step expects. */
    private record Exploding(Source real) implements Source {
        public String name() {
            return real.name();
        }

        public String kind() {
            return real.kind();
        }

        public SshTarget host() {
            return real.host();
        }

        public String remotePath() {
            return real.remotePath();
        }

        public Compression compression() {
            return real.compression();
        }

        public CapturedFile capture(CaptureContext context) {
            throw new NullPointerException("parser bug");
        }
    }
}
