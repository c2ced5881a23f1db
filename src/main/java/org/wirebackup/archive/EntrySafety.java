package org.wirebackup.archive;

import java.nio.file.Path;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Whether a tar entry could escape or harm the directory it is extracted into: an absolute name or one with
 * {@code ..}, a symbolic or hard link pointing outside the part's root, a device node or a FIFO. A part holding one
 * fails {@code verify}, and a restore refuses it before its first change: the procedure's plain {@code tar -x} would
 * extract it, as root, over whatever it points at.
 */
final class EntrySafety {

    private EntrySafety() {
    }

    /** Why the entry is unsafe, or null when it is safe to extract. */
    static String problem(TarArchiveEntry entry) {
        String name = entry.getName();
        if (escapes(name)) {
            return "its name " + (name.startsWith("/") ? "is absolute" : "climbs out with ..");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            return "it is a device node";
        }
        if (entry.isFIFO()) {
            return "it is a FIFO";
        }
        if (entry.isSymbolicLink()) {
            String target = entry.getLinkName();
            Path parent = Path.of(name).getParent();
            String resolved = target.startsWith("/") ? target
                    : (parent == null ? Path.of(target) : parent.resolve(target)).toString();
            if (target.startsWith("/") || escapes(resolved)) {
                return "it is a symbolic link to " + target + ", outside the part";
            }
        }
        if (entry.isLink() && escapes(entry.getLinkName())) {
            return "it is a hard link to " + entry.getLinkName() + ", outside the part";
        }
        return null;
    }

    /** An archive path that, once normalized, is absolute or starts above its root. */
    private static boolean escapes(String archivePath) {
        if (archivePath.startsWith("/")) {
            return true;
        }
        Path normalized = Path.of(archivePath).normalize();
        return normalized.startsWith("..");
    }
}
