package org.wirebackup.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.wirebackup.io.PrivateFiles;

/**
 * One run at a time per backup directory: an OS file lock, so a CLI {@code backup} and a scheduled run in another
 * process exclude each other too, and a crashed process leaves no stale lock behind. A backup run, a drill and a
 * restore each hold it for their whole length; the file says which one holds it, for whoever is turned away.
 */
public final class RunLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    private static final String FILE = ".wire-backup.lock";

    /** The lock, or empty when another run (in this process or another) holds it. */
    public static Optional<RunLock> tryAcquire(Path backupDir) throws IOException {
        return tryAcquire(backupDir, "a backup run");
    }

    /**
     * The lock, or empty when another run, drill or restore holds it.
     *
     * @param holder what takes it, in words ({@code "a restore of run 20261204T100000Z"}), for {@link #holder}
     */
    public static Optional<RunLock> tryAcquire(Path backupDir, String holder) throws IOException {
        FileChannel channel = PrivateFiles.open(backupDir.resolve(FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((holder + " (pid " + ProcessHandle.current().pid() + ")\n")
                        .getBytes(StandardCharsets.UTF_8)), 0);
                return Optional.of(new RunLock(channel, lock));
            }
        } catch (OverlappingFileLockException e) {
            // held by another thread of this process
        }
        channel.close();
        return Optional.empty();
    }

    /** Who holds the lock, as its holder wrote it; "another run" when that cannot be read. */
    public static String holder(Path backupDir) {
        try {
            String text = Files.readString(backupDir.resolve(FILE), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "another run" : text;
        } catch (IOException e) {
            return "another run";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
