package org.wirebackup.archive;

/**
 * What reading a part once found.
 *
 * @param entries the tar's entry count, or null for a part that is no tar
 * @param problem why the part is bad, or null when it is good
 * @param files    the tar's regular files: how many, and their bytes; what a restored directory must hold (null for
 *                 a part that is no tar)
 * @param warnings entries worth naming that are captured and restored as they are (links pointing outside the
 *                 part, device nodes, FIFOs)
 */
public record PartCheck(String name, long bytes, String sha256, Long entries, String problem, TarFiles files,
                        java.util.List<String> warnings) {

    public PartCheck {
        warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
    }

    /**
     * The regular files a tar holds: their count and total size; and the permission bits of the part's own directory
     * (its entry {@code NAME/}), which a restore gives the target it extracts into; null when the part has none.
     */
    public record TarFiles(long count, long bytes, Integer rootMode) {
    }

    public PartCheck(String name, long bytes, String sha256, Long entries, String problem) {
        this(name, bytes, sha256, entries, problem, null, null);
    }

    public boolean ok() {
        return problem == null;
    }

    PartCheck failing(String why) {
        return new PartCheck(name, bytes, sha256, entries, problem == null ? why : problem, files, warnings);
    }
}
