package org.wirebackup.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Puts a finished file in place so that a crash leaves either nothing or the whole file, never half of it. */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** A sibling of the target that marks an unfinished write: {@code NAME.partial}. */
    public static Path partialOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial");
    }

    /**
     * Renames a fully written and synced file onto its final name, then syncs the directory entry.
     *
     * @throws FileAlreadyExistsException if the target exists: nothing already written is ever replaced
     */
    public static void moveIntoPlace(Path partial, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite an existing file");
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some filesystems cannot sync a directory; the file itself was synced before the rename
        }
    }
}
