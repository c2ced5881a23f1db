package org.wirebackup.source;

import java.util.concurrent.CompletableFuture;

import org.wirebackup.ssh.SshTarget;

/** A clean-up command under way on a source's host (a snapshot being cleared): the run waits for it before it ends. */
public record PendingCleanup(String step, SshTarget host, CompletableFuture<String> command) {

    /** Waits for the command. @throws SourceStepException when it failed */
    public void await() throws SourceStepException {
        CaptureContext.await(command);
    }
}
