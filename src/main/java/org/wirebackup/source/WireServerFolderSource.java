package org.wirebackup.source;

import java.nio.file.Path;

import org.wirebackup.ssh.ShellQuoting;
import org.wirebackup.ssh.SshTarget;

/** The wire-server installation folder (values, secrets): the procedure's {@code tar -cf - wire-server | gzip -9}. */
public record WireServerFolderSource(SshTarget host, String folder, Compression compression) implements Source {

    public static final String KIND = "wire-server";

    public WireServerFolderSource {
        Path path = Path.of(folder).normalize();
        if (!path.isAbsolute() || path.getParent() == null || path.getFileName() == null) {
            throw new IllegalArgumentException("'" + folder + "' must be the absolute path of a folder below /");
        }
        folder = path.toString();
        ShellQuoting.quote(folder); // refuse now what could never be passed to the remote shell
    }

    @Override
    public String name() {
        return KIND;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String remotePath() {
        return folder;
    }

    @Override
    public String command() {
        Path path = Path.of(folder);
        return TarPipeline.script(path.getParent().toString(), path.getFileName().toString(), compression);
    }
}
