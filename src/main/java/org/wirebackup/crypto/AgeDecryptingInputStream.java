package org.wirebackup.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import javax.crypto.spec.IvParameterSpec;

import com.exceptionfactory.jagged.framework.crypto.ByteBufferCipherFactory;
import com.exceptionfactory.jagged.framework.crypto.CipherKey;
import com.exceptionfactory.jagged.framework.crypto.StandardByteBufferCipherFactory;
import com.exceptionfactory.jagged.framework.format.StandardPayloadKeyReader;

/**
 * Reads an age file as its plaintext: the header and payload key through jagged's {@link StandardPayloadKeyReader},
 * every 64 KiB chunk opened (authenticated) by jagged's ChaCha20-Poly1305 decryptor, 1 MiB batches of them at once
 * on their own threads, handed out in order. The last chunk is the one the file ends after; it must carry the last-chunk flag,
 * so a file cut at a chunk boundary fails as surely as one cut inside a chunk. A chunk that fails is an
 * {@link IOException} naming the file; nothing after it is handed out.
 */
final class AgeDecryptingInputStream extends InputStream {

    private static final int SEALED = AgeEncryptingOutputStream.CHUNK + 16;
    private static final ByteBufferCipherFactory CIPHERS = new StandardByteBufferCipherFactory();

    private final InputStream in;
    private final String name;
    private final CipherKey payloadKey;
    private final ExecutorService pool;
    private final int window;
    private final ArrayDeque<Future<Slot>> opening = new ArrayDeque<>();
    // slots are reused: allocating and zeroing them for every MiB costs as much as the cipher on a fast JDK
    private final ArrayDeque<Slot> free = new ArrayDeque<>();
    private Slot next;
    private long counter;
    private boolean lastSubmitted;
    private Slot current;
    private int position;
    /** The failure that ended the stream: every later read repeats it (the pool is gone by then). */
    private IOException failed;

    /** @throws GeneralSecurityException when no identity opens the header */
    AgeDecryptingInputStream(InputStream in, AgeIdentity identity, String name, int threads)
            throws IOException, GeneralSecurityException {
        this.in = in;
        this.name = name;
        byte[] start = in.readNBytes(SEALED);
        ByteBuffer buffer = ByteBuffer.wrap(start);
        payloadKey = new StandardPayloadKeyReader().getPayloadKey(buffer, identity.readers());
        next = new Slot();
        int carried = buffer.remaining();
        buffer.get(next.sealed, 0, carried);
        next.sealedLength = carried + in.readNBytes(next.sealed, carried, Slot.CAPACITY - carried);
        if (next.sealedLength == 0) {
            throw new IOException(name + ": the age payload is missing (the file ends after its header)");
        }
        this.window = 2 * Math.max(1, threads);
        this.pool = AgeEncryptingOutputStream.pool("age-decrypt", threads);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || position == current.plainLength) {
            if (!advance()) {
                return -1;
            }
        }
        int n = Math.min(len, current.plainLength - position);
        System.arraycopy(current.plain, position, b, off, n);
        position += n;
        return n;
    }

    private boolean advance() throws IOException {
        if (failed != null) {
            throw failed;
        }
        if (current != null) {
            free.add(current);
            current = null;
        }
        fill();
        if (opening.isEmpty()) {
            return false;
        }
        try {
            current = opening.removeFirst().get();
        } catch (ExecutionException e) {
            pool.shutdownNow();
            failed = new AlteredCiphertextException(name + ": " + e.getCause().getMessage() + ": the copy was"
                    + " altered (or cut short); nothing of it is used: fetch another copy", e.getCause());
            throw failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decrypting " + name);
        }
        position = 0;
        return true;
    }

    /** Reads ahead and submits chunks until the window is full or the last one is submitted. */
    private void fill() throws IOException {
        while (!lastSubmitted && opening.size() < window) {
            Slot sealed = next;
            next = free.isEmpty() ? new Slot() : free.removeFirst();
            next.sealedLength = sealed.sealedLength == Slot.CAPACITY ? in.readNBytes(next.sealed, 0, Slot.CAPACITY) : 0;
            boolean last = next.sealedLength == 0;
            int chunks = (sealed.sealedLength + SEALED - 1) / SEALED;
            if (last && sealed.sealedLength - (chunks - 1) * SEALED == 16 && counter + chunks > 1) {
                throw new IOException(name + ": the age payload ends with an empty chunk after others (not the age"
                        + " format)");
            }
            long index = counter;
            counter += chunks;
            opening.add(pool.submit(() -> open(sealed, index, last)));
            lastSubmitted = last;
        }
    }

    /** Opens the slot's chunks in order; with {@code last}, its final chunk must carry the flag. */
    private Slot open(Slot batch, long firstIndex, boolean last) throws GeneralSecurityException {
        ByteBuffer plain = ByteBuffer.wrap(batch.plain);
        int chunks = (batch.sealedLength + SEALED - 1) / SEALED;
        for (int k = 0; k < chunks; k++) {
            int from = k * SEALED;
            int length = Math.min(SEALED, batch.sealedLength - from);
            if (length < 16) {
                throw new GeneralSecurityException("chunk " + (firstIndex + k) + " is " + length + " bytes, too"
                        + " short to authenticate");
            }
            try {
                CIPHERS.newByteBufferDecryptor(payloadKey, new IvParameterSpec(AgeEncryptingOutputStream.nonce(
                        firstIndex + k, last && k == chunks - 1)))
                        .decrypt(ByteBuffer.wrap(batch.sealed, from, length), plain);
            } catch (GeneralSecurityException e) {
                throw new GeneralSecurityException("chunk " + (firstIndex + k) + " does not authenticate", e);
            }
        }
        batch.plainLength = plain.position();
        return batch;
    }

    /** Sixteen chunks' ciphertext and, once opened, their plaintext: one hand-over between threads per 1 MiB. */
    private static final class Slot {
        static final int CAPACITY = 16 * SEALED;
        final byte[] sealed = new byte[CAPACITY];
        final byte[] plain = new byte[16 * AgeEncryptingOutputStream.CHUNK];
        int sealedLength;
        int plainLength;
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        try {
            payloadKey.destroy();
        } finally {
            in.close();
        }
    }
}
