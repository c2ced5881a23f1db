package org.wirebackup.config;

import java.nio.file.Path;
import java.util.List;

import org.wirebackup.crypto.AgeIdentity;
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
        String from = settings.optional(DrillSettings.FROM).orElse(null);
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
        List<SshTarget> cassandra = reader.hosts(DrillSettings.CASSANDRA_HOSTS);
        int productionCql = settings.integer("backup.cassandra.cql-port", 1, 65535);
        Integer scratchCql = settings.optional(DrillSettings.CASSANDRA_CQL_PORT).isPresent()
                ? settings.integer(DrillSettings.CASSANDRA_CQL_PORT, 1, 65535) : null;
        for (SshTarget node : cassandra) {
            for (Source source : sources) {
                // the same SSH host, or the same machine with the same CQL port: the production cluster
                boolean sameCql = source.host() != null && source.host().host().equalsIgnoreCase(node.host())
                        && (scratchCql == null ? productionCql : scratchCql) == productionCql;
                if (source.kind().startsWith("cassandra") && (sameHost(source.host(), node) || sameCql)) {
                    throw new ConfigurationException(DrillSettings.CASSANDRA_HOSTS, node + " is a node of the backed-up"
                            + " cluster (backup.cassandra.hosts): a drill loads into a scratch Cassandra, never production");
                }
            }
        }
        String scratchCqlAddress = settings.optional(DrillSettings.CASSANDRA_CQL_ADDRESS).orElse(null);
        String productionCqlAddress = settings.optional("backup.cassandra.cql-address").orElse(null);
        if (!cassandra.isEmpty() && productionCqlAddress != null && scratchCqlAddress == null) {
            // the scratch settings are built from production's: an address the scratch host can reach may be production
            throw new ConfigurationException(DrillSettings.CASSANDRA_CQL_ADDRESS, "is not set, but"
                    + " backup.cassandra.cql-address is (" + productionCqlAddress + "): the drill would load into "
                    + productionCqlAddress + " as reached from the scratch node, and never inherits production's"
                    + " address; set where the scratch node's CQL listens (e.g. 127.0.0.1)");
        }
        if (!cassandra.isEmpty() && host == null) {
            throw new ConfigurationException(DrillSettings.HOST, "is not set, but " + DrillSettings.CASSANDRA_HOSTS
                    + " is: a drill needs a scratch host and directory too");
        }
        List<String> loader = settings.optional(DrillSettings.CASSANDRA_SSTABLELOADER)
                .map(l -> reader.words(DrillSettings.CASSANDRA_SSTABLELOADER)).orElse(List.of());
        java.nio.file.Path identity = settings.optional(DrillSettings.IDENTITY_FILE).map(java.nio.file.Path::of)
                .orElse(null);
        if (identity != null) {
            // checked now (a file, 0600, identities in it), read again at every drill
            AgeIdentity.load(DrillSettings.IDENTITY_FILE, identity);
        }
        return new DrillSettings(from, host, dir, cron, cassandra, fraction(settings), scratchCql, scratchCqlAddress,
                loader, identity);
    }

    private static double fraction(SettingsReader settings) {
        String text = settings.required(DrillSettings.MAX_ROW_DROP);
        try {
            double fraction = Double.parseDouble(text);
            if (fraction >= 0 && fraction <= 1) {
                return fraction;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ConfigurationException(DrillSettings.MAX_ROW_DROP, "'" + text + "' is not a fraction between 0 and 1"
                + " (0.5: a table may lose half its rows between drills)");
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
