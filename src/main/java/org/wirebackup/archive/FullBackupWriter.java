package org.wirebackup.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.wirebackup.crypto.AgeEncryptingOutputStream;
import org.wirebackup.crypto.AgeRecipients;
import org.wirebackup.io.DurableFiles;
import org.wirebackup.io.HashingFileOutput;
import org.wirebackup.run.FullBackup;

/**
 * Writes {@code full-backup-<run id>.tar}: {@code manifest.json} first, then every part, streamed from disk
 * (commons-compress, one pass; nothing rewritten), as {@code .partial}, synced, then renamed.
 */
public final class FullBackupWriter {

    private FullBackupWriter() {
    }

    /**
     * @param parts the part files, named as in the manifest
     * @throws IOException when writing fails; no full backup is left then, only a removed .partial
     */
    public static FullBackup write(Path backupDir, Manifest manifest, List<Path> parts) throws IOException {
        return write(backupDir, manifest, parts, AgeRecipients.none());
    }

    /**
     * With recipients, the tar is encrypted to them as it is written ({@code full-backup-<run id>.tar.age}): no
     * plaintext full backup is ever on disk, and the size and SHA-256 returned are the ciphertext's.
     */
    public static FullBackup write(Path backupDir, Manifest manifest, List<Path> parts, AgeRecipients recipients)
            throws IOException {
        Path target = backupDir.resolve(FullBackup.fileName(manifest.runId(), recipients.enabled()));
        Path partial = DurableFiles.partialOf(target);
        HashingFileOutput.Written written;
        try (HashingFileOutput file = new HashingFileOutput(partial);
             OutputStream sink = recipients.enabled() ? new AgeEncryptingOutputStream(CloseShieldOutputStream
                     .wrap(file), recipients, AgeEncryptingOutputStream.defaultThreads())
                     : CloseShieldOutputStream.wrap(file);
             // blocks of 512: the archive ends with exactly the two zero blocks of its end marker, no record padding,
             // so a copy cut anywhere in them is short of the marker and fails verify
             TarArchiveOutputStream tar = new TarArchiveOutputStream(sink, 512)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] json = manifest.toJson();
            TarArchiveEntry manifestEntry = new TarArchiveEntry(Manifest.ENTRY);
            manifestEntry.setSize(json.length);
            tar.putArchiveEntry(manifestEntry);
            tar.write(json);
            tar.closeArchiveEntry();
            for (Path part : parts) {
                TarArchiveEntry entry = new TarArchiveEntry(part.getFileName().toString());
                entry.setSize(Files.size(part));
                entry.setModTime(Files.getLastModifiedTime(part));
                tar.putArchiveEntry(entry);
                try (InputStream in = Files.newInputStream(part)) {
                    in.transferTo(tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
            if (sink instanceof AgeEncryptingOutputStream age) {
                age.finish();
            }
            written = file.finish();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        DurableFiles.moveIntoPlace(partial, target);
        return new FullBackup(target, written.bytes(), written.sha256());
    }
}
