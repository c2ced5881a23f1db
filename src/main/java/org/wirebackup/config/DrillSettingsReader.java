package org.wirebackup.config;

import java.nio.file.Path;
import java.util.List;

import org.wirebackup.restore.drill.DrillSettings;
import org.wirebackup.source.RemotePaths;
import org.wirebackup.source.Source;
import org.wirebackup.ssh.SshTarget;

/**
 * Reads the {@code backup.drill.*} keys. A scratch directory that is, holds or lies inside a source's directory on
 * that source's host is refused: a drill never writes where production data lives.
 */
public final class DrillSettingsReader {

    private DrillSettingsReader() {
    }

    public static DrillSettings read(SettingsReader settings, String defaultUser, List<Source> sources) {
        SourceSettings reader = new SourceSettings(settings, defaultUser);
        String from = settings.optional(DrillSettings.FROM).filter(f -> !f.equals(DrillSettings.LOCAL)).orElse(null);
        SshTarget host = settings.optional(DrillSettings.HOST).map(h -> reader.host(DrillSettings.HOST, h)).orElse(null);
        String dir = settings.optional(DrillSettings.DIR).map(DrillSettingsReader::absolute).orElse(null);
        if ((host == null) != (dir == null)) {
            throw new ConfigurationException(host == null ? DrillSettings.HOST : DrillSettings.DIR,
                    "is not set, but " + (host == null ? DrillSettings.DIR : DrillSettings.HOST) + " is: a drill needs both");
        }
        if (host != null) {
            for (Source source : sources) {
                if (sameHost(source.host(), host) && source.remotePath() != null && source.remotePath().startsWith("/")
                        && overlaps(Path.of(dir), Path.of(source.remotePath()))) {
                    throw new ConfigurationException(DrillSettings.DIR, host + ":" + dir + " overlaps " + source.name()
                            + "'s " + source.host() + ":" + source.remotePath() + ": a drill restores into scratch"
                            + " space, never where production data lives");
                }
            }
        }
        String cron = settings.optional(DrillSettings.CRON).map(c -> BackupSettings.quartzCron(DrillSettings.CRON, c))
                .orElse(null);
        if (cron != null && host == null) {
            throw new ConfigurationException(DrillSettings.HOST, "is not set, but " + DrillSettings.CRON + " is: a"
                    + " scheduled drill needs a scratch host and directory (backup.drill.host, backup.drill.dir)");
        }
        return new DrillSettings(from, host, dir, cron);
    }

    private static boolean sameHost(SshTarget a, SshTarget b) {
        return a != null && a.host().equalsIgnoreCase(b.host()) && a.port() == b.port();
    }

    private static boolean overlaps(Path scratch, Path production) {
        return scratch.startsWith(production) || production.startsWith(scratch);
    }

    private static String absolute(String path) {
        try {
            return RemotePaths.absolute(path);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(DrillSettings.DIR, e.getMessage());
        }
    }
}
