package org.wirebackup.restore;

import static org.wirebackup.ssh.ShellQuoting.quote;

import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * The free space where a Cassandra node's part is unpacked for loading (a new directory under the staging dir).
 *
 * @param freeBytes -1 when unknown
 * @param error     why it could not be read; null when it was
 */
public record StagingSpace(long freeBytes, String error) {

    public static StagingSpace of(RemoteCommandRunner ssh, RestoreTarget target) {
        try {
            String free = ssh.runForText(target.host(), "d=" + quote(target.path()) + "; while [ ! -d \"$d\" ]; do"
                    + " d=$(dirname -- \"$d\"); done; df -Pk -- \"$d\" 2>/dev/null | awk 'NR==2 { print $4 }'", 4096)
                    .strip();
            return new StagingSpace(free.matches("\\d{1,15}") ? Long.parseLong(free) * 1024 : -1, null);
        } catch (RemoteCommandException e) {
            return new StagingSpace(-1, e.getMessage());
        }
    }

    public String describe() {
        return error != null ? "cannot be read: " + error : "room to unpack";
    }
}
