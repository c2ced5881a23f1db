package org.wirebackup.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.security.GeneralSecurityException;

import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import org.wirebackup.config.ConfigurationException;

/** Reads an age file as its plaintext, streaming, through jagged; every 64 KiB chunk is authenticated as it is read. */
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
            return Channels.newInputStream(new StandardDecryptingChannelFactory().newDecryptingChannel(
                    Channels.newChannel(ciphertext), identity.readers()));
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(key, "no identity in " + identity.file() + " matches the recipients of "
                    + name);
        }
    }
}
