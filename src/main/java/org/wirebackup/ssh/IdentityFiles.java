package org.wirebackup.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Reads a private key file (OpenSSH or PEM format, optionally encrypted). */
public final class IdentityFiles {

    private IdentityFiles() {
    }

    /**
     * @param passphrase the key's passphrase, or null/empty for an unencrypted key
     * @throws IOException with a message naming the file when it cannot be read or decrypted
     */
    public static List<KeyPair> load(Path file, String passphrase) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("identity file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("identity file " + file + " is not readable by this user");
        }
        FilePasswordProvider passwords = passphrase == null || passphrase.isEmpty()
                ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(passphrase);
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    in, passwords);
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            String hint = passphrase == null || passphrase.isEmpty()
                    ? " (if it is encrypted, give its passphrase in WIRE_BACKUP_SSH_KEY_PASSPHRASE)"
                    : " (is the passphrase right?)";
            throw new IOException("identity file " + file + " cannot be read as a private key" + hint + ": "
                    + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new IOException("identity file " + file + " holds no private key");
        }
        return keys;
    }
}
