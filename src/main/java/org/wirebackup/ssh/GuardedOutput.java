package org.wirebackup.ssh;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Stands between MINA and the caller's stream: remembers the first write failure (a full disk, say), which SSH
 * would otherwise report as a lost channel, and keeps the caller's stream open when MINA closes the channel's.
 */
final class GuardedOutput extends FilterOutputStream {

    private volatile IOException failure;

    GuardedOutput(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
            throw e;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }

    IOException failure() {
        return failure;
    }
}
