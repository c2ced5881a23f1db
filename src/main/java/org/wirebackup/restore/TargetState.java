package org.wirebackup.restore;

import static org.wirebackup.ssh.ShellQuoting.quote;

import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * What is at a directory target now, read over SSH without changing anything: missing, empty or not empty, and
 * the free space where it would be extracted.
 *
 * @param state     {@code missing}, {@code empty} or {@code not empty}; or why it could not be read
 * @param freeBytes free space on the file system of the directory's parent; -1 when unknown
 */
public record TargetState(String state, long freeBytes) {

    public static TargetState of(RemoteCommandRunner ssh, RestoreTarget target) {
        String dir = quote(target.path());
        String parent = quote(java.nio.file.Path.of(target.path()).getParent().toString());
        String script = "if [ -e " + dir + " ]; then if [ -z \"$(ls -A -- " + dir + ")\" ]; then echo empty;"
                + " else echo 'not empty'; fi; else echo missing; fi;"
                + " df -Pk -- " + parent + " 2>/dev/null | awk 'NR==2 { print $4 }'";
        try {
            String[] lines = ssh.runForText(target.host(), script, 4096).strip().split("\n");
            long free = lines.length > 1 && lines[1].strip().matches("\\d+") ? Long.parseLong(lines[1].strip()) * 1024
                    : -1;
            return new TargetState(lines[0].strip(), free);
        } catch (RemoteCommandException e) {
            return new TargetState("cannot be read: " + e.getMessage(), -1);
        }
    }

    /** The free space in the directory a Cassandra node part is unpacked in for sstableloader. */
    public static TargetState stagingSpace(RemoteCommandRunner ssh, RestoreTarget target) {
        String dir = quote(target.path());
        try {
            String free = ssh.runForText(target.host(), "d=" + dir + "; while [ ! -d \"$d\" ]; do d=$(dirname -- \"$d\");"
                    + " done; df -Pk -- \"$d\" 2>/dev/null | awk 'NR==2 { print $4 }'", 4096).strip();
            return new TargetState("room to unpack",
                    free.matches("\\d+") ? Long.parseLong(free) * 1024 : -1);
        } catch (RemoteCommandException e) {
            return new TargetState("cannot be read: " + e.getMessage(), -1);
        }
    }
}
