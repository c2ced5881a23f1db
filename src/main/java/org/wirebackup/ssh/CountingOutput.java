package org.wirebackup.ssh;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A buffered stream that counts the bytes passed through it. */
final class CountingOutput extends BufferedOutputStream {

    private long count;

    CountingOutput(OutputStream out, int bufferSize) {
        super(out, bufferSize);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        super.write(b, off, len);
        count += len;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        super.write(b);
        count++;
    }

    synchronized long count() {
        return count;
    }
}
