package org.wirebackup.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** Generates SSH keys and writes them the way OpenSSH does: for the demo and the tests, never for production. */
public final class KeyMaterial {

    private KeyMaterial() {
    }

    public static KeyPair generateEcdsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the private key in OpenSSH format (mode 600), encrypted when a passphrase is given. */
    public static void writePrivateKey(KeyPair keyPair, Path file, String passphrase) throws IOException {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphrase);
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
        }
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, "wire-backup", encryption, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write private key " + file, e);
        }
    }

    /** The key as one authorized_keys / .pub line, e.g. {@code ecdsa-sha2-nistp256 AAAA...}. */
    public static String publicKeyLine(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    /** A known_hosts line for a server on a non-standard port: {@code [host]:port type key}. */
    public static String knownHostsLine(String host, int port, PublicKey key) {
        String name = port == 22 ? host : "[" + host + "]:" + port;
        return name + " " + publicKeyLine(key);
    }
}
