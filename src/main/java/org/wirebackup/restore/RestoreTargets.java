package org.wirebackup.restore;

import java.nio.file.Path;
import java.util.List;

import org.wirebackup.archive.Manifest;
import org.wirebackup.ssh.SshTarget;

/** Every part of a manifest with its target: by default the host and path the backup recorded. */
public final class RestoreTargets {

    private RestoreTargets() {
    }

    public static List<RestoreTarget> of(Manifest manifest, String defaultUser) {
        return manifest.parts().stream().map(part -> of(part, defaultUser)).toList();
    }

    static RestoreTarget of(Manifest.Part part, String defaultUser) {
        SshTarget host = part.host() == null ? null : SshTarget.parse(part.host(), defaultUser, 22);
        return switch (part.kind()) {
            case "wire-server", "minio" -> new RestoreTarget(part, host, part.remotePath(),
                    "streamed into tar -x in " + Path.of(part.remotePath()).getParent());
            case "cassandra" -> new RestoreTarget(part, host, part.remotePath(),
                    "every table's snapshot staged on the node, loaded with sstableloader");
            case "cassandra-schema" -> new RestoreTarget(part, host, null,
                    "the keyspaces' schema, through the CQL tunnel, before the tables");
            default -> new RestoreTarget(part, null, null,
                    "not restored by wire-backup: the output of your own command; restore it by hand");
        };
    }
}
