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
    @CsvSource({"0,1", "1,2", "65536,2", "65537,2", "131072,3", "1000000,1", "1048576,2", "1048577,2",
            "3145733,3"})
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
    void aCopyCutAtAChunkBoundaryOrWithOneFlippedBitDoesNotRead() throws Exception {
        Path identity = tmp.resolve("key.txt");
        assertThat(Cli.run("keygen", identity.toString()).exitCode()).isZero();
        String recipient = EncryptedBackupTest.run(tmp, "age-keygen", "-y", identity.toString()).strip();
        // 16 chunks of 64 KiB are sealed together: cut at a chunk boundary inside such a batch and at its end
        byte[] plain = new byte[2_500_000];
        new Random(1).nextBytes(plain);
        java.io.ByteArrayOutputStream sealed = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new AgeEncryptingOutputStream(sealed, AgeRecipients.parse("test", recipient), 2)) {
            out.write(plain);
        }
        byte[] whole = sealed.toByteArray();
        int header = whole.length - (plain.length + 39 * 16);
        byte[] cut = java.util.Arrays.copyOf(whole, header + 2 * (65536 + 16));
        byte[] cutAtBatch = java.util.Arrays.copyOf(whole, header + 16 * (65536 + 16));
        byte[] flipped = whole.clone();
        flipped[header + 1_500_000] ^= 0x04;

        for (byte[] bad : java.util.List.of(cut, cutAtBatch, flipped)) {
            try (InputStream in = AgeDecryption.open(new java.io.ByteArrayInputStream(bad),
                    AgeIdentity.load("test", identity), "test", "full-backup-x.tar.age")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(in::readAllBytes)
                        .isInstanceOf(AlteredCiphertextException.class)
                        .hasMessageMatching("full-backup-x\\.tar\\.age: chunk \\d+ does not authenticate: the copy was"
                                + " altered \\(or cut short\\).*");
                // read again (a reader going on to its next entry): the same failure, never a pool's refusal
                org.assertj.core.api.Assertions.assertThatThrownBy(in::read)
                        .isInstanceOf(AlteredCiphertextException.class);
            }
        }
        try (InputStream in = AgeDecryption.open(new java.io.ByteArrayInputStream(whole),
                AgeIdentity.load("test", identity), "test", "full-backup-x.tar.age")) {
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
