package org.wirebackup.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import org.wirebackup.io.PrivateFiles;

/** A new X25519 identity, written as {@code age-keygen} writes one; only its public key is ever printed. */
public final class AgeKeys {

    private AgeKeys() {
    }

    /**
     * Writes the identity to {@code file} (created, never overwritten, mode 0600, synced) and returns its public key.
     */
    public static String generate(Path file) throws IOException {
        KeyPair pair;
        try {
            pair = new X25519KeyPairGenerator().generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an X25519 key: " + e.getMessage(), e);
        }
        // jagged encodes keys into a buffer that may be longer than the key: what follows it is zeros
        String publicKey = pair.getPublic().toString().replace("\0", "");
        String privateKey = pair.getPrivate().toString().replace("\0", "").toUpperCase(Locale.ROOT);
        String text = "# created: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n# public key: " + publicKey
                + "\n" + privateKey + "\n";
        try (FileChannel channel = PrivateFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        } finally {
            try {
                pair.getPrivate().destroy();
            } catch (javax.security.auth.DestroyFailedException e) {
                // the key object goes with this method; its text is in the file only
            }
        }
        return publicKey;
    }
}
