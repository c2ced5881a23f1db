package org.wirebackup.ssh;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops a remote command that made no progress (no byte of input taken, none of output or stderr given) for the stall
 * timeout: a multi-terabyte copy may run for days, a hung disk or loader should not hold a run for a day. The action
 * runs on the watcher's thread, since the command's own thread may be blocked in a write the host no longer reads.
 */
final class StallWatch implements AutoCloseable {

    private final Duration limit;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;
    private final ScheduledFuture<?> check;

    StallWatch(ScheduledExecutorService scheduler, Duration limit, Runnable onStall) {
        this.limit = limit;
        long every = Math.max(100, Math.min(1000, limit.toMillis() / 4));
        this.check = scheduler.scheduleWithFixedDelay(() -> {
            if (!stalled && System.nanoTime() - lastProgress > limit.toNanos()) {
                stalled = true;
                onStall.run();
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void progressed() {
        lastProgress = System.nanoTime();
    }

    boolean stalled() {
        return stalled;
    }

    Duration limit() {
        return limit;
    }

    /** The stream, with every byte written to it counted as progress. */
    OutputStream watching(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                progressed();
                out.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                progressed();
                out.write(b);
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    @Override
    public void close() {
        check.cancel(false);
    }
}
