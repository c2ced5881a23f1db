package org.wirebackup.ssh;

import java.nio.file.Path;
import java.time.Duration;

/** A remote command's stdout, complete on disk under its final name. */
public record StreamedFile(Path file, long bytes, String sha256, int exitStatus, String stderrTail, Duration duration) {
}
