package org.wirebackup.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import org.wirebackup.config.ConfigurationException;

/**
 * An age identity file ({@code age-keygen}'s or {@code wire-backup keygen}'s format): the private keys that decrypt
 * full backups. Refused when others may read it, as OpenSSH refuses such a private key; its content is never put in
 * a message, a log or a record: only its path is.
 */
public final class AgeIdentity {

    private static final Set<PosixFilePermission> OPEN = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;
    private final List<RecipientStanzaReader> readers;

    private AgeIdentity(Path file, List<RecipientStanzaReader> readers) {
        this.file = file;
        this.readers = List.copyOf(readers);
    }

    /** @param key the option or setting that named the file, for the error */
    public static AgeIdentity load(String key, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException(key, file + " is not a file (an age identity, AGE-SECRET-KEY-1...)");
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(OPEN::contains)) {
                throw new ConfigurationException(key, "permissions " + PosixFilePermissions.toString(mode) + " for "
                        + file + " are too open: an identity must not be accessible by others (chmod 600 " + file
                        + ")");
            }
            List<RecipientStanzaReader> readers = new ArrayList<>();
            int line = 0;
            for (String text : Files.readAllLines(file)) {
                line++;
                String stripped = text.strip();
                if (stripped.isEmpty() || stripped.startsWith("#")) {
                    continue;
                }
                try {
                    readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(stripped));
                } catch (GeneralSecurityException | RuntimeException e) {
                    // the line is a secret: say where it is, never what it holds
                    throw new ConfigurationException(key, file + " line " + line + " is not an age X25519 identity"
                            + " (AGE-SECRET-KEY-1...)");
                }
            }
            if (readers.isEmpty()) {
                throw new ConfigurationException(key, file + " holds no identity (AGE-SECRET-KEY-1...)");
            }
            return new AgeIdentity(file, readers);
        } catch (IOException e) {
            throw new ConfigurationException(key, "cannot read " + file + ": " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new ConfigurationException(key, file + " is on a file system without POSIX permissions");
        }
    }

    public Path file() {
        return file;
    }

    List<RecipientStanzaReader> readers() {
        return readers;
    }

    @Override
    public String toString() {
        return "age identity " + file;
    }
}
