package org.wirebackup.ssh;

import java.time.Duration;

/** A remote command that ran to the end with exit status 0. */
public record CommandResult(int exitStatus, String stderrTail, Duration duration) {
}
