package org.wirebackup.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.wirebackup.crypto.AgeDecryption;
import org.wirebackup.crypto.AgeIdentity;
import org.wirebackup.run.FullBackup;

/**
 * A full backup to read, with what opens it: the file, and for an encrypted one ({@code .tar.age}) the age identity
 * that decrypts it on the fly (null for a plain one).
 *
 * @param identityKey the option or setting that named the identity, for the error when it does not match
 */
public record FullBackupFile(Path path, AgeIdentity identity, String identityKey) {

    public boolean encrypted() {
        return FullBackup.isEncrypted(path);
    }

    /** The tar inside, from its first byte: decrypted as it is read when the file is encrypted. */
    public InputStream openTar() throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 256 * 1024);
        if (!encrypted()) {
            return raw;
        }
        if (identity == null) {
            raw.close();
            throw new IOException(path.getFileName() + " is encrypted and no identity was given");
        }
        try {
            return new BufferedInputStream(AgeDecryption.open(raw, identity, identityKey,
                    path.getFileName().toString()), 256 * 1024);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    public FullBackupVerifier.Report verify() {
        return FullBackupVerifier.verify(path, identity, identityKey);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
