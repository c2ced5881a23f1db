package org.wirebackup.crypto;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.spec.IvParameterSpec;

import com.exceptionfactory.jagged.framework.crypto.ByteBufferCipherFactory;
import com.exceptionfactory.jagged.framework.crypto.CipherKey;
import com.exceptionfactory.jagged.framework.crypto.StandardByteBufferCipherFactory;
import com.exceptionfactory.jagged.framework.format.StandardPayloadKeyWriter;
import org.wirebackup.io.DaemonThreads;

/**
 * Writes the age format (age-encryption.org/v1) to its recipients, streaming: the header and payload key come from
 * jagged's {@link StandardPayloadKeyWriter}, and every 64 KiB chunk is sealed by jagged's ChaCha20-Poly1305
 * encryptor with the STREAM nonce the format defines (an 11-byte big-endian chunk counter, then 1 for the last
 * chunk, else 0). Chunks are independent, so several 1 MiB batches of them are sealed at once on their own threads
 * and written in order: JDK 17 has no ChaCha20 intrinsic, and one thread holds a run to the speed of one core. At
 * most two batches per thread are in memory, and they are reused.
 */
public final class AgeEncryptingOutputStream extends OutputStream {

    static final int CHUNK = 64 * 1024;
    private static final int TAG = 16;
    private static final ByteBufferCipherFactory CIPHERS = new StandardByteBufferCipherFactory();

    private final OutputStream out;
    private final CipherKey payloadKey;
    private final ExecutorService pool;
    private final int window;
    private final ArrayDeque<Future<Slot>> sealing = new ArrayDeque<>();
    // slots are reused: allocating and zeroing them for every MiB costs as much as the cipher on a fast JDK
    private final ArrayDeque<Slot> free = new ArrayDeque<>();
    private Slot slot = new Slot();
    private long counter;
    private boolean failed;
    private boolean finished;
    private boolean closed;

    /** Daemon threads: a stream left unclosed after a failure never holds the JVM up. */
    static ExecutorService pool(String name, int threads) {
        return Executors.newFixedThreadPool(Math.max(1, threads), DaemonThreads.named(name));
    }

    /** One per core, at most four: each thread holds two 2 MiB batches, and -Xmx256m must hold them all. */
    public static int defaultThreads() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads how many batches of chunks are sealed at once */
    public AgeEncryptingOutputStream(OutputStream out, AgeRecipients recipients, int threads) throws IOException {
        if (!recipients.enabled()) {
            throw new IllegalArgumentException("no recipients");
        }
        this.out = out;
        ByteBuffer header = ByteBuffer.allocate(1024 + 256 * recipients.keys().size());
        try {
            payloadKey = new StandardPayloadKeyWriter().writeFileHeader(header, recipients.writers());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the age header: " + e.getMessage(), e);
        }
        header.flip();
        out.write(header.array(), 0, header.limit());
        this.window = 2 * Math.max(1, threads);
        this.pool = pool("age-encrypt", threads);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed || finished) {
            throw new IOException("the age stream is finished");
        }
        while (len > 0) {
            // a full chunk is sealed only once more data follows: the last chunk, full or not, carries the flag
            if (slot.length == Slot.CAPACITY) {
                seal(false);
            }
            int n = Math.min(len, Slot.CAPACITY - slot.length);
            System.arraycopy(b, off, slot.plain, slot.length, n);
            slot.length += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Seals the last chunk and writes what is pending, leaving the stream below open. After a failure nothing more
     * is written: a stream cut short never ends with a last chunk, so no reader takes it for a whole file.
     */
    public void finish() throws IOException {
        if (finished || failed) {
            return;
        }
        finished = true;
        seal(true);
        while (!sealing.isEmpty()) {
            writeNext();
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            finish();
        } finally {
            pool.shutdownNow();
            payloadKey.destroy();
            out.close();
        }
    }

    private void seal(boolean last) throws IOException {
        Slot full = slot;
        long index = counter;
        counter += Math.max(1, (full.length + CHUNK - 1) / CHUNK);
        sealing.add(pool.submit(() -> encrypt(full, index, last)));
        slot = free.isEmpty() ? new Slot() : free.removeFirst();
        slot.length = 0;
        while (sealing.size() >= window) {
            writeNext();
        }
    }

    /** Seals the slot's chunks in order; with {@code last}, its final chunk carries the flag (an empty one too). */
    private Slot encrypt(Slot batch, long firstIndex, boolean last) throws GeneralSecurityException {
        batch.sealed.clear();
        int chunks = Math.max(1, (batch.length + CHUNK - 1) / CHUNK);
        for (int k = 0; k < chunks; k++) {
            int from = k * CHUNK;
            CIPHERS.newByteBufferEncryptor(payloadKey, new IvParameterSpec(nonce(firstIndex + k, last && k == chunks - 1)))
                    .encrypt(ByteBuffer.wrap(batch.plain, from, Math.min(CHUNK, batch.length - from)), batch.sealed);
        }
        batch.sealed.flip();
        return batch;
    }

    /**
     * Sixteen chunks' plaintext and, once sealed, their ciphertext: one hand-over between threads per 1 MiB, not
     * per 64 KiB, whose cost came close to the cipher's on a JDK with a ChaCha20 intrinsic.
     */
    private static final class Slot {
        static final int CHUNKS = 16;
        static final int CAPACITY = CHUNKS * CHUNK;
        final byte[] plain = new byte[CAPACITY];
        final ByteBuffer sealed = ByteBuffer.allocate(CHUNKS * (CHUNK + TAG));
        int length;
    }

    static byte[] nonce(long index, boolean last) {
        byte[] nonce = new byte[12];
        long rest = index;
        for (int i = 10; i >= 0 && rest != 0; i--) {
            nonce[i] = (byte) rest;
            rest >>>= 8;
        }
        nonce[11] = (byte) (last ? 1 : 0);
        return nonce;
    }

    private void writeNext() throws IOException {
        Slot done;
        try {
            done = sealing.removeFirst().get();
        } catch (ExecutionException e) {
            failed = true;
            throw new IOException("age encryption failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            failed = true;
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while encrypting");
        }
        try {
            out.write(done.sealed.array(), 0, done.sealed.limit());
        } catch (IOException e) {
            failed = true;
            throw e;
        }
        free.add(done);
    }
}
