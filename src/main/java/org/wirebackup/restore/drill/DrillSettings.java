package org.wirebackup.restore.drill;

import org.wirebackup.ssh.SshTarget;

/**
 * The {@code backup.drill.*} settings.
 *
 * @param from    the destination of routes/ the drill fetches its copy from; null for BACKUP_DIR's own
 * @param host    the scratch host every part is restored on; null until set (a drill then refuses to start)
 * @param dir     the scratch directory there: each drill restores into {@code <dir>/<drill id>/<part>/}
 * @param cron    when the {@code run} service drills (Quartz); null for never
 */
public record DrillSettings(String from, SshTarget host, String dir, String cron) {

    public static final String FROM = "backup.drill.from";
    public static final String HOST = "backup.drill.host";
    public static final String DIR = "backup.drill.dir";
    public static final String CRON = "backup.drill.cron";
    public static final String LOCAL = "local";

    public boolean configured() {
        return host != null && dir != null;
    }
}
