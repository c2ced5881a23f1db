package org.wirebackup.source;

import java.nio.file.Path;

import org.wirebackup.ssh.ShellQuoting;

/** Checks a configured path on a remote host: absolute, below /, passable to a shell. */
public final class RemotePaths {

    private RemotePaths() {
    }

    /** The normalized path; IllegalArgumentException when it is not an absolute path of a folder below /. */
    public static String absolute(String path) {
        Path normalized = Path.of(path).normalize();
        if (!normalized.isAbsolute() || normalized.getParent() == null || normalized.getFileName() == null) {
            throw new IllegalArgumentException("'" + path + "' must be the absolute path of a folder below /");
        }
        ShellQuoting.quote(normalized.toString()); // refuse now what could never be passed to the remote shell
        return normalized.toString();
    }
}
