package org.wirebackup.source;

import java.nio.file.Path;

import org.wirebackup.ssh.SshTarget;

/** A MinIO data directory (attachments, images), tarred from its parent as the procedure does. */
public record MinioDataDirSource(SshTarget host, String dir, Compression compression, ChangedFiles changedFiles)
        implements Source {

    public static final String KIND = "minio";

    public MinioDataDirSource {
        dir = RemotePaths.absolute(dir);
    }

    @Override
    public String name() {
        return "minio-" + SourceNames.of(host) + "-" + SourceNames.safe(Path.of(dir).getFileName().toString());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String remotePath() {
        return dir;
    }

    @Override
    public CapturedFile capture(CaptureContext context) throws SourceStepException {
        return FolderTar.capture(context, host, dir, name(), compression, changedFiles);
    }
}
