package org.wirebackup.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a stream to a file and computes its SHA-256 on a thread of its own, so that the producer (MINA's I/O thread,
 * busy decrypting) and the disk work at the same time. Memory is bounded: a few fixed chunks circulate between the
 * two threads, and the producer waits when all are in flight, which in turn holds back the SSH window.
 * Every {@value #WRITEBACK_BYTES} bytes a third thread asks the kernel to write what is there to the device
 * ({@code fdatasync}), so the disk works while the stream still comes in and the final sync has little left to do.
 */
public final class HashingFileOutput extends OutputStream {

    /** What was written: byte count and SHA-256 (hex). */
    public record Written(long bytes, String sha256) {
    }

    private static final int CHUNK_BYTES = 256 * 1024;
    private static final int CHUNKS = 8;
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final long WRITEBACK_BYTES = 64L * 1024 * 1024;

    private final FileChannel channel;
    private final MessageDigest sha256;
    private final BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<ByteBuffer> empty = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread writer;
    private final long writebackBytes;
    private final ExecutorService writeback;
    private Future<?> lastWriteback = CompletableFuture.completedFuture(null);
    private long unsynced;
    private volatile IOException failure;
    private ByteBuffer current;
    private long bytes;
    private Written written;
    private Progress progress;

    public HashingFileOutput(Path file) throws IOException {
        this(file, WRITEBACK_BYTES);
    }

    HashingFileOutput(Path file, long writebackBytes) throws IOException {
        this.writebackBytes = writebackBytes;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        channel = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        for (int i = 0; i < CHUNKS; i++) {
            empty.add(ByteBuffer.allocate(CHUNK_BYTES));
        }
        current = empty.remove();
        writeback = Executors.newSingleThreadExecutor(DaemonThreads.named("wire-backup-writeback-" + file.getFileName()));
        writer = new Thread(this::drain, "wire-backup-writer-" + file.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /** Reports the bytes written so far at the progress' interval. */
    public HashingFileOutput reporting(Progress progress) {
        this.progress = progress;
        return this;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        throwIfFailed();
        if (written != null) {
            throw new IOException("stream already finished");
        }
        int remaining = len;
        while (remaining > 0) {
            int n = Math.min(remaining, current.remaining());
            current.put(b, off, n);
            off += n;
            remaining -= n;
            bytes += n;
            if (!current.hasRemaining()) {
                handOver();
            }
        }
        if (progress != null) {
            progress.add(len);
        }
    }

    /** Writes what is left, waits for the disk, syncs the file to the device and returns count and checksum. */
    public Written finish() throws IOException {
        if (written == null) {
            handOverAndStop();
            awaitWriteback();
            throwIfFailed();
            channel.force(true);
            written = new Written(bytes, HexFormat.of().formatHex(sha256.digest()));
        }
        return written;
    }

    @Override
    public void close() throws IOException {
        try {
            if (written == null && writer.isAlive()) {
                handOverAndStop();
            }
        } finally {
            writeback.shutdownNow();
            channel.close();
        }
    }

    private void handOver() throws IOException {
        current.flip();
        try {
            filled.put(current);
            current = empty.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
        throwIfFailed();
    }

    private void handOverAndStop() throws IOException {
        current.flip();
        try {
            filled.put(current);
            filled.put(END);
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
    }

    private void drain() {
        try {
            for (ByteBuffer chunk = filled.take(); chunk != END; chunk = filled.take()) {
                if (failure == null) {
                    try {
                        sha256.update(chunk.array(), 0, chunk.limit());
                        while (chunk.hasRemaining()) {
                            unsynced += channel.write(chunk);
                        }
                        startWritebackWhenDue();
                    } catch (IOException e) {
                        failure = e; // keep taking chunks, so the producer never waits forever
                    }
                }
                chunk.clear();
                empty.put(chunk);
            }
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("writer interrupted");
        }
    }

    private void startWritebackWhenDue() {
        if (unsynced >= writebackBytes && lastWriteback.isDone()) {
            unsynced = 0;
            lastWriteback = writeback.submit(() -> {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    failure = e;
                }
            });
        }
    }

    private void awaitWriteback() throws IOException {
        try {
            lastWriteback.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while syncing");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private void throwIfFailed() throws IOException {
        IOException e = failure;
        if (e != null) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
