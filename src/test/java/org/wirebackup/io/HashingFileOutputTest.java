package org.wirebackup.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingFileOutputTest {

    @TempDir
    Path tmp;

    @Test
    void writesEveryByteInOrderWithItsSha256WhateverTheWriteSizes() throws Exception {
        writesEveryByteInOrder(new HashingFileOutput(tmp.resolve("out")));
    }

    @Test
    void syncsOnTheWayWithoutLosingOrReorderingAByte() throws Exception {
        // a sync every 256 KiB: the background fdatasync runs many times while chunks are still being written
        writesEveryByteInOrder(new HashingFileOutput(tmp.resolve("out"), 256 * 1024));
    }

    private void writesEveryByteInOrder(HashingFileOutput output) throws Exception {
        byte[] data = new byte[5_000_123];
        new Random(7).nextBytes(data);
        Path file = tmp.resolve("out");
        Random sizes = new Random(3);

        HashingFileOutput.Written written;
        try (HashingFileOutput out = output) {
            for (int off = 0; off < data.length; ) {
                int n = Math.min(data.length - off, 1 + sizes.nextInt(600_000));
                out.write(data, off, n);
                off += n;
            }
            out.write(42);
            written = out.finish();
        }

        byte[] expected = java.util.Arrays.copyOf(data, data.length + 1);
        expected[data.length] = 42;
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
        assertThat(written.bytes()).isEqualTo(expected.length);
        assertThat(written.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)));
    }

    @Test
    void aFullDiskFailsTheWriterInsteadOfHangingIt() throws Exception {
        byte[] chunk = new byte[1 << 20];
        try (HashingFileOutput out = new HashingFileOutput(Path.of("/dev/full"))) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                }
                out.finish();
            }).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        }
    }
}
