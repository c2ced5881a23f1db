package org.wirebackup.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import org.wirebackup.config.ConfigurationException;

/**
 * The public keys ({@code age1...}, X25519) every full backup is encrypted to: {@code backup.encryption.recipients}
 * or the lines of {@code backup.encryption.recipients-file} ({@code age -R}'s format). None: full backups are plain.
 */
public record AgeRecipients(List<String> keys) {

    public AgeRecipients {
        keys = List.copyOf(keys);
    }

    public static AgeRecipients none() {
        return new AgeRecipients(List.of());
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** Keys separated by commas or white space; each one checked, the error naming {@code key} and the bad one. */
    public static AgeRecipients parse(String key, String text) {
        return checked(key, Arrays.stream(text.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty())
                .toList());
    }

    /** {@code age -R}'s file: one recipient per line, blank lines and lines starting with # ignored. */
    public static AgeRecipients readFile(String key, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigurationException(key, "cannot read " + file + ": " + e.getMessage());
        }
        List<String> keys = lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        if (keys.isEmpty()) {
            throw new ConfigurationException(key, file + " holds no recipient (one age1... public key per line)");
        }
        return checked(key, keys);
    }

    private static AgeRecipients checked(String key, List<String> keys) {
        List<String> good = new ArrayList<>();
        for (String recipient : keys) {
            if (recipient.startsWith("AGE-SECRET-KEY-")) {
                throw new ConfigurationException(key, "holds a private key (AGE-SECRET-KEY-...): give the public key"
                        + " (age1...) that `age-keygen -y` or `wire-backup keygen` prints, and keep the private key off"
                        + " this host");
            }
            try {
                X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new ConfigurationException(key, "'" + recipient + "' is not an age X25519 public key"
                        + " (age1... as `age-keygen` prints it)");
            }
            good.add(recipient);
        }
        return new AgeRecipients(good);
    }

    List<RecipientStanzaWriter> writers() throws GeneralSecurityException {
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        for (String recipient : keys) {
            writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient));
        }
        return writers;
    }
}
