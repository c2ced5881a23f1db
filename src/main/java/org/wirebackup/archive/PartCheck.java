package org.wirebackup.archive;

/**
 * What reading a part once found.
 *
 * @param entries the tar's entry count, or null for a part that is no tar
 * @param problem why the part is bad, or null when it is good
 */
public record PartCheck(String name, long bytes, String sha256, Long entries, String problem) {

    public boolean ok() {
        return problem == null;
    }

    PartCheck failing(String why) {
        return new PartCheck(name, bytes, sha256, entries, problem == null ? why : problem);
    }
}
