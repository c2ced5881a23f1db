package org.wirebackup.crypto;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;

/**
 * For bench/encryption.sh: encrypts FILE to RECIPIENT into OUT the way {@code MODE} says and prints the seconds it
 * took. MODE: {@code jagged} (the library's own channel, one thread) or {@code wire-backup-N} (this project's
 * stream, N threads).
 */
public final class AgeThroughput {

    private AgeThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path in = Path.of(args[1]);
        String recipient = args[2];
        Path out = Path.of(args[3]);
        AgeRecipients recipients = AgeRecipients.parse("recipient", recipient);
        long started = System.nanoTime();
        if (mode.equals("jagged")) {
            try (FileChannel source = FileChannel.open(in);
                 WritableByteChannel sink = new StandardEncryptingChannelFactory().newEncryptingChannel(
                         FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                 StandardOpenOption.TRUNCATE_EXISTING), recipients.writers())) {
                ByteBuffer buffer = ByteBuffer.allocate(65536);
                while (source.read(buffer) != -1) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        sink.write(buffer);
                    }
                    buffer.clear();
                }
            }
        } else {
            int threads = Integer.parseInt(mode.substring("wire-backup-".length()));
            try (InputStream source = Files.newInputStream(in);
                 OutputStream sink = new AgeEncryptingOutputStream(new BufferedOutputStream(Files.newOutputStream(out),
                         1 << 20), recipients, threads)) {
                source.transferTo(sink);
            }
        }
        System.out.printf("%.3f%n", (System.nanoTime() - started) / 1e9);
    }
}
