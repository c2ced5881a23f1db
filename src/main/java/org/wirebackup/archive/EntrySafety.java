package org.wirebackup.archive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The entries of one tar part, in order, sorted into what cannot be extracted safely and what is only worth naming.
 * <p>
 * Unsafe (the part fails {@code verify}, and {@code restore} and {@code drill} refuse it before any change): an
 * absolute name or one that climbs out with {@code ..}; in a directory part (the wire-server folder, a MinIO data
 * directory), any name outside the part's own directory ({@code wire-server/../.ssh/authorized_keys} would land beside
 * it); a hard link to a name outside the part, and any entry that
 * lies below a symbolic link the part itself holds ({@code up -> ..} then {@code up/x}), which would be written
 * wherever the link points. No tar run on a real folder writes such entries; a crafted copy does.
 * <p>
 * Worth a warning, captured and restored as they are: a symbolic link pointing outside the part (restored as a link,
 * never followed: {@code certs -> /etc/ssl/certs} is common), a device node, a FIFO.
 */
final class EntrySafety {

    /** How many warnings are named one by one; the rest are counted. */
    static final int NAMED_WARNINGS = 10;

    /** The one directory every entry must lie in (a directory part's own name), or null for a part without one. */
    private final String root;
    private final Set<String> links = new HashSet<>();
    private final List<String> warnings = new ArrayList<>();
    private long moreWarnings;

    EntrySafety() {
        this(null);
    }

    /** @param root the directory every entry must lie in ({@code wire-server/...}), or null */
    EntrySafety(String root) {
        this.root = root;
    }

    /** Why the entry is unsafe to extract, or null; a warning about it is kept for {@link #warnings()}. */
    String problem(TarArchiveEntry entry) {
        String name = entry.getName();
        if (escapes(name)) {
            return "its name " + (name.startsWith("/") ? "is absolute" : "climbs out with ..");
        }
        Path normalized = Path.of(name).normalize();
        if (outsideRoot(normalized)) {
            return "it lies outside " + root + "/, the part's own directory";
        }
        String link = linkAbove(normalized);
        if (link != null) {
            return "it lies below " + link + ", a symbolic link of the part: extracting it would write where the link"
                    + " points";
        }
        if (entry.isLink() && (escapes(entry.getLinkName()) || outsideRoot(Path.of(entry.getLinkName()).normalize())
                || linkAbove(Path.of(entry.getLinkName()).normalize()) != null)) {
            return "it is a hard link to " + entry.getLinkName() + ", outside the part";
        }
        if (entry.isSymbolicLink()) {
            links.add(normalized.toString());
            String target = entry.getLinkName();
            Path parent = normalized.getParent();
            String resolved = target.startsWith("/") ? target
                    : (parent == null ? Path.of(target) : parent.resolve(target)).toString();
            if (target.startsWith("/") || escapes(resolved) || outsideRoot(Path.of(resolved).normalize())) {
                warn(name + " is a symbolic link to " + target + ", outside the part (kept as a link)");
            }
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            warn(name + " is a device node");
        } else if (entry.isFIFO()) {
            warn(name + " is a FIFO");
        }
        return null;
    }

    /** Whether a normalized name lies outside the part's own directory (never, for a part without one). */
    private boolean outsideRoot(Path normalized) {
        return root != null && !normalized.startsWith(root);
    }

    /** The symbolic link of the part that {@code path} lies below, or null. */
    private String linkAbove(Path path) {
        for (Path above = path.getParent(); above != null; above = above.getParent()) {
            if (links.contains(above.toString())) {
                return above.toString();
            }
        }
        return null;
    }

    /** The warnings so far: the first {@value #NAMED_WARNINGS} by name, then how many more. */
    List<String> warnings() {
        List<String> all = new ArrayList<>(warnings);
        if (moreWarnings > 0) {
            all.add("and " + moreWarnings + " more such entries");
        }
        return all;
    }

    private void warn(String warning) {
        if (warnings.size() < NAMED_WARNINGS) {
            warnings.add(warning);
        } else {
            moreWarnings++;
        }
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
