package org.wirebackup.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wirebackup.testing.Cli;

/**
 * The chunk-parallel age stream against Debian's {@code age -d} and jagged's own reader, at the sizes where the
 * format's last-chunk rule bites: empty, one byte, exactly one and two chunks, and one byte past a chunk.
 */
class AgeEncryptingOutputStreamTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"0,1", "1,2", "65536,2", "65537,2", "131072,3", "1000000,1", "1000000,4"})
    void whatItWritesAgeDecryptsToTheSameBytes(int size, int threads) throws Exception {
        Path identity = tmp.resolve("key.txt");
        assertThat(Cli.run("keygen", identity.toString()).exitCode()).isZero();
        String recipient = EncryptedBackupTest.run(tmp, "age-keygen", "-y", identity.toString()).strip();
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        Path encrypted = tmp.resolve("data.age");
        try (OutputStream out = new AgeEncryptingOutputStream(Files.newOutputStream(encrypted),
                AgeRecipients.parse("test", recipient), threads)) {
            // in uneven writes, so chunks are filled across calls
            for (int off = 0; off < size; off += 7777) {
                out.write(plain, off, Math.min(7777, size - off));
            }
        }

        Path decrypted = tmp.resolve("data");
        // age -o creates no file for an empty plaintext: a redirect does
        EncryptedBackupTest.run(tmp, "sh", "-c", "age -d -i key.txt data.age > data");
        assertThat(Files.readAllBytes(decrypted)).isEqualTo(plain);
        try (InputStream in = AgeDecryption.open(Files.newInputStream(encrypted), AgeIdentity.load("test", identity),
                "test", "data.age")) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
    }

    @Test
    void keygenNeverOverwritesAnIdentity() throws Exception {
        Path identity = tmp.resolve("key.txt");
        Cli.Result first = Cli.run("keygen", identity.toString());
        String before = Files.readString(identity);

        Cli.Result second = Cli.run("keygen", identity.toString());

        assertThat(first.out().strip()).startsWith("age1").isEqualTo(EncryptedBackupTest.run(tmp, "age-keygen", "-y",
                identity.toString()).strip());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)))
                .isEqualTo("rw-------");
        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(second.err()).contains(identity + " exists: not overwritten");
        assertThat(Files.readString(identity)).isEqualTo(before);
    }
}
