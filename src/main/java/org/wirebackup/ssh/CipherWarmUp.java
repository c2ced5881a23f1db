package org.wirebackup.ssh;

import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.sshd.common.util.security.SecurityUtils;
import org.slf4j.LoggerFactory;
import org.wirebackup.io.DaemonThreads;

/**
 * Gets the JIT to compile the AES-GCM and SHA-256 paths of a transfer before the first large stream needs them. A fresh
 * JVM runs them interpreted until a method has been called some 15,000 times, and MINA calls the cipher once per
 * 32 KiB packet: the first few hundred MB of every capture and copy went at a fraction of the speed. Encrypting,
 * decrypting and hashing 20,000 small buffers on a thread of its own (0.3 s while Camel starts) took a cold 1 GiB
 * transfer from Debian's OpenSSH from 3.6-4.9 s to 2.8-3.1 s (measured in issue 13). It touches no host.
 */
public final class CipherWarmUp {

    private static final int ROUNDS = 20_000;
    private static final int BUFFER_BYTES = 1024;
    private static final int TAG_BITS = 128;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private CipherWarmUp() {
    }

    /** Starts the warm-up once per JVM. */
    public static void startInBackground() {
        if (STARTED.compareAndSet(false, true)) {
            DaemonThreads.startInBackground("ssh-cipher-warm-up", CipherWarmUp::warmUp);
        }
    }

    private static void warmUp() {
        try {
            // the same provider lookup MINA's AES-GCM cipher makes, so the compiled code is the code it runs
            Cipher cipher = SecurityUtils.getCipher("AES/GCM/NoPadding");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
            byte[] buffer = new byte[BUFFER_BYTES + TAG_BITS / 8];
            byte[] iv = new byte[12];
            for (int i = 0; i < ROUNDS; i++) {
                iv[0] = (byte) i;
                iv[1] = (byte) (i >>> 8);
                iv[2] = (byte) (i >>> 16);
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
                cipher.updateAAD(buffer, 0, 4);
                int sealed = cipher.doFinal(buffer, 4, BUFFER_BYTES - 4, buffer, 4);
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
                cipher.updateAAD(buffer, 0, 4);
                cipher.doFinal(buffer, 4, sealed, buffer, 4);
                sha256.update(buffer, 0, BUFFER_BYTES);
            }
        } catch (Throwable e) {
            // only a head start: the transfers work the same without it
            LoggerFactory.getLogger(CipherWarmUp.class).debug("cipher warm-up did not finish", e);
        }
    }
}
