package org.wirebackup.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Watches the bytes of a tar archive go by, as they are read for their content, and checks the frame that a
 * reader such as commons-compress forgives but GNU tar does not: every header block's checksum (PAX {@code x} and
 * {@code g} headers too), every entry's data whole, and the end-of-archive marker (two zero blocks) present, with
 * the archive a whole number of blocks. A copy cut anywhere, even inside the final zero blocks, does not pass.
 */
final class TarStructureCheck extends FilterInputStream {

    private static final int BLOCK = 512;

    private final byte[] block = new byte[BLOCK];
    private int filled;
    /** Data bytes (rounded up to whole blocks) still to come for the current entry. */
    private long dataLeft;
    private int zeroBlocks;
    private long headers;
    private long position;
    private String problem;

    TarStructureCheck(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            observe(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            observe(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // every byte must be seen: skipping reads
        byte[] scratch = new byte[(int) Math.min(n, 64 * 1024)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void observe(byte[] bytes, int offset, int length) {
        position += length;
        int i = offset;
        int end = offset + length;
        while (i < end && problem == null) {
            if (dataLeft > 0) {
                int take = (int) Math.min(dataLeft, end - i);
                dataLeft -= take;
                i += take;
                continue;
            }
            int take = Math.min(BLOCK - filled, end - i);
            System.arraycopy(bytes, i, block, filled, take);
            filled += take;
            i += take;
            if (filled == BLOCK) {
                filled = 0;
                header();
            }
        }
    }

    private void header() {
        long blockStart = position - BLOCK;
        if (isZero()) {
            zeroBlocks++;
            return;
        }
        if (zeroBlocks > 0) {
            problem = "data after the end-of-archive marker at byte " + blockStart;
            return;
        }
        headers++;
        if (!checksumMatches()) {
            problem = "the tar header at byte " + blockStart + " (" + name() + ") has a wrong checksum";
            return;
        }
        long size = size();
        if (size < 0) {
            problem = "the tar header at byte " + blockStart + " (" + name() + ") has no readable size";
            return;
        }
        byte type = block[156];
        boolean hasData = type != '1' && type != '2' && type != '3' && type != '4' && type != '5' && type != '6';
        dataLeft = hasData ? (size + BLOCK - 1) / BLOCK * BLOCK : 0;
    }

    /** After the whole stream was read: null when the archive is complete, else what is wrong with it. */
    String problemAtEnd() {
        if (problem != null) {
            return problem;
        }
        if (dataLeft > 0 || filled > 0) {
            return "the archive ends in the middle of " + (dataLeft > 0 ? "an entry's data" : "a block")
                    + " (cut after " + position + " bytes)";
        }
        if (headers == 0) {
            return "the archive holds no entries";
        }
        if (zeroBlocks < 2) {
            return "the end-of-archive marker is " + (zeroBlocks == 0 ? "missing" : "incomplete (one zero block of two)")
                    + ": the copy was cut after " + position + " bytes";
        }
        return null;
    }

    private boolean isZero() {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean checksumMatches() {
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        long recorded = octal(148, 8);
        return recorded == unsigned || recorded == signed;
    }

    private long size() {
        if ((block[124] & 0x80) != 0) {
            long value = 0;
            for (int i = 125; i < 136; i++) {
                value = (value << 8) | (block[i] & 0xff);
            }
            return value;
        }
        return octal(124, 12);
    }

    /** An octal field: digits, padded with spaces or NULs; -1 when it is not one. */
    private long octal(int offset, int length) {
        long value = 0;
        boolean digits = false;
        for (int i = offset; i < offset + length; i++) {
            byte b = block[i];
            if (b >= '0' && b <= '7') {
                value = value * 8 + (b - '0');
                digits = true;
            } else if (b == ' ' || b == 0) {
                if (digits) {
                    break;
                }
            } else {
                return -1;
            }
        }
        return digits ? value : -1;
    }

    private String name() {
        int end = 0;
        while (end < 100 && block[end] != 0) {
            end++;
        }
        return new String(block, 0, end, StandardCharsets.UTF_8);
    }
}
