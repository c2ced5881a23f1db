package org.wirebackup.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wirebackup.archive.ChecksumSidecar;

/**
 * What a failed run leaves: nothing that counts or fills the disk. Its parts go (unless {@code backup.keep-parts}),
 * and a full backup it made never keeps its good name: it is renamed {@code .failed} and its checksum removed.
 */
final class FailedRunCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(FailedRunCleanup.class);

    private FailedRunCleanup() {
    }

    static void clean(BackupRun run, RunRecordStore store, boolean keepParts) {
        if (!keepParts) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(run.dir())) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (!name.equals(RunRecordStore.RECORD_FILE) && !name.equals(RunRecordStore.UPLOAD_JOURNAL)) {
                        Files.deleteIfExists(file);
                    }
                }
            } catch (IOException e) {
                LOG.warn("Run {}: cannot remove the failed run's parts in {}: {}", run.id(), run.dir(), e.getMessage());
            }
        }
        Path fullBackup = store.fullBackupFile(run.id());
        try {
            Files.deleteIfExists(ChecksumSidecar.of(fullBackup));
            if (Files.exists(fullBackup)) {
                Path failed = fullBackup.resolveSibling(fullBackup.getFileName() + FullBackup.FAILED_SUFFIX);
                Files.move(fullBackup, failed, StandardCopyOption.ATOMIC_MOVE);
                run.madeFullBackup(null);
                LOG.warn("Run {} failed after its full backup was written: kept as {}, which counts as no backup",
                        run.id(), failed);
            }
        } catch (IOException e) {
            LOG.error("Run {}: cannot rename the failed run's full backup {}: {}", run.id(), fullBackup, e.getMessage());
        }
    }
}
