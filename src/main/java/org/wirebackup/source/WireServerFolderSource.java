package org.wirebackup.source;

import java.nio.file.Path;
import java.util.List;

import org.wirebackup.ssh.SshTarget;

/** The wire-server installation folder (values, secrets): the procedure's {@code tar -cf - wire-server | gzip -9}. */
public record WireServerFolderSource(String name, SshTarget host, String folder, Compression compression)
        implements Source {

    public static final String KIND = "wire-server";

    public WireServerFolderSource {
        folder = RemotePaths.absolute(folder);
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
    public CapturedFile capture(CaptureContext context) throws SourceStepException {
        Compression used = context.available(host, compression);
        Path path = Path.of(folder);
        String script = ShellPipeline.tar(path.getParent().toString(), List.of(path.getFileName().toString()), used);
        return context.stream("capture", host, script, name + ".tar" + used.extension(), "tar", used);
    }
}
