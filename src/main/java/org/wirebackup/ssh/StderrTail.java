package org.wirebackup.ssh;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps only the last bytes written: a remote command's stderr, for error messages, whatever its length. */
final class StderrTail extends OutputStream {

    private final byte[] ring;
    private long written;

    StderrTail(int capacity) {
        this.ring = new byte[capacity];
    }

    @Override
    public synchronized void write(int b) {
        ring[(int) (written++ % ring.length)] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            ring[(int) (written++ % ring.length)] = b[off + i];
        }
    }

    synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        int start = (int) ((written - size) % ring.length);
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        String text = new String(out, StandardCharsets.UTF_8).strip();
        return written > ring.length ? "..." + text : text;
    }
}
