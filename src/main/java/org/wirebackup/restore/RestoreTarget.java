package org.wirebackup.restore;

import org.wirebackup.archive.Manifest;
import org.wirebackup.ssh.SshTarget;

/**
 * Where one part of a full backup goes back to, as its manifest recorded it: the restore's contract.
 *
 * @param host   the host it goes to; null for a part no restore step takes (a command's output)
 * @param path   the directory on that host, for the file kinds; the data directory for a Cassandra node
 * @param method what the restore does with it, in the operator's words
 */
public record RestoreTarget(Manifest.Part part, SshTarget host, String path, String method) {

    /** A directory that is extracted over SSH: the wire-server folder and each MinIO data directory. */
    public boolean isDirectory() {
        return "wire-server".equals(part.kind()) || "minio".equals(part.kind());
    }
}
