package org.wirebackup.ssh;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Collects a small command's stdout (a status table, a file list) up to a limit; more is noted, not kept. */
final class BoundedOutput extends OutputStream {

    private final int limit;
    private byte[] bytes = new byte[1024];
    private int size;
    private boolean overflowed;

    BoundedOutput(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int keep = Math.min(len, limit - size);
        if (keep < len) {
            overflowed = true;
        }
        if (keep <= 0) {
            return;
        }
        if (size + keep > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(bytes.length * 2, size + keep)));
        }
        System.arraycopy(b, off, bytes, size, keep);
        size += keep;
    }

    synchronized boolean overflowed() {
        return overflowed;
    }

    synchronized String text() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }
}
