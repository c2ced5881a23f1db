package org.wirebackup.source;

import java.nio.file.Path;
import java.util.List;

import org.wirebackup.ssh.SshTarget;

/** A remote folder tarred from its parent ({@code cd PARENT && tar -cf - NAME}), as the procedure does. */
final class FolderTar {

    private FolderTar() {
    }

    static CapturedFile capture(CaptureContext context, SshTarget host, String folder, String fileBase,
                                Compression wanted, ChangedFiles changedFiles) throws SourceStepException {
        Compression used = context.available(host, wanted);
        Path path = Path.of(folder);
        String script = ShellPipeline.tar(path.getParent().toString(), List.of(path.getFileName().toString()), used,
                changedFiles);
        CapturedFile file = context.stream("capture", host, script, fileBase + ".tar" + used.extension(), "tar", used);
        String warning = ChangedFiles.warning(file.stderrTail());
        if (warning != null) {
            context.warn(warning);
        }
        return file;
    }
}
