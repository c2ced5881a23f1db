package org.wirebackup.config;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.wirebackup.run.RunLifecycle;
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * When Camel starts to stop (SIGTERM from a container stop or systemd, Ctrl-C), a run under way is stopped at once
 * rather than cut off when {@code camel.main.shutdown-timeout} runs out: its remote commands are ended, and it ends
 * {@code failed} (step {@code run}, "stopped") with its record written and an alert sent, before Camel's in-flight
 * wait is over.
 */
final class StopRunsOnShutdown extends EventNotifierSupport {

    private static final String WHY = "wire-backup is shutting down (SIGTERM, or the service was stopped)";

    private final RunLifecycle lifecycle;
    private final RemoteCommandRunner ssh;

    StopRunsOnShutdown(RunLifecycle lifecycle, RemoteCommandRunner ssh) {
        this.lifecycle = lifecycle;
        this.ssh = ssh;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        lifecycle.stopAll(WHY);
        ssh.stopAll(WHY);
    }
}
