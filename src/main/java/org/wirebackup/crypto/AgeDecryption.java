package org.wirebackup.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;

import org.wirebackup.config.ConfigurationException;

/** Reads an age file as its plaintext, streaming ({@link AgeDecryptingInputStream}); every chunk authenticated. */
public final class AgeDecryption {

    /** The first line of every age file. */
    public static final String MAGIC = "age-encryption.org/v1";

    private AgeDecryption() {
    }

    /**
     * @param key  the option or setting that named the identity, for the error
     * @param name the encrypted file's name, for the error
     * @throws ConfigurationException when no identity in the file matches the recipients of the file
     */
    public static InputStream open(InputStream ciphertext, AgeIdentity identity, String key, String name)
            throws IOException {
        try {
            return new AgeDecryptingInputStream(ciphertext, identity, name,
                    AgeEncryptingOutputStream.defaultThreads());
        } catch (java.security.SignatureException e) {
            // a key opened the header, and the header's MAC then failed: it was changed
            throw new IOException("the age header of " + name + " does not authenticate: the file was changed");
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(key, "no identity in " + identity.file() + " matches the recipients of "
                    + name);
        }
    }
}
