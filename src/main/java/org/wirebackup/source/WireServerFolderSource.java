package org.wirebackup.source;

import org.wirebackup.ssh.SshTarget;

/** The wire-server installation folder (values, secrets): the procedure's {@code tar -cf - wire-server | gzip -9}. */
public record WireServerFolderSource(String name, SshTarget host, String folder, Compression compression,
                                     ChangedFiles changedFiles) implements Source {

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
        return FolderTar.capture(context, host, folder, name, compression, changedFiles);
    }
}
