package org.wirebackup.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.wirebackup.io.PrivateFiles;

/**
 * One run at a time per backup directory: an OS file lock, so a CLI {@code backup} and a scheduled run in another
 * process exclude each other too, and a crashed process leaves no stale lock behind.
 */
public final class RunLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another run (in this process or another) holds it. */
    public static Optional<RunLock> tryAcquire(Path backupDir) throws IOException {
        FileChannel channel = PrivateFiles.open(backupDir.resolve(".wire-backup.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new RunLock(channel, lock));
            }
        } catch (OverlappingFileLockException e) {
            // held by another thread of this process
        }
        channel.close();
        return Optional.empty();
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
