package org.wirebackup.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Backups hold Wire's secrets: every directory wire-backup creates is 0700 and every file 0600, set at creation, so
 * no umask makes them readable by others, not even for the moment before a chmod.
 */
public final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    public static FileAttribute<?>[] fileMode() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] directoryMode() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0];
    }

    /** Creates the directory and any missing parents, each 0700; an existing one is left as it is. */
    public static Path createDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, directoryMode());
    }

    /** Creates one directory, 0700; fails when it exists. */
    public static Path createDirectory(Path dir) throws IOException {
        return Files.createDirectory(dir, directoryMode());
    }

    /** Opens a file for writing, created 0600 when it does not exist. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), fileMode());
    }

    /** Writes a small file whole, created 0600. */
    public static void writeString(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.writeString(Files.createFile(file, fileMode()), text);
    }
}
