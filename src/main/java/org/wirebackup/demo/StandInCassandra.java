package org.wirebackup.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A STAND-IN for a Cassandra node, for the demo and for cases a real single node cannot show (a peer reported down):
 * a data directory laid out as Cassandra's ({@code <ks>/<table>-<id>/}, SSTable files) and a {@code nodetool} shell
 * script that answers status from a file and makes snapshots as Cassandra does (hard links, manifest.json,
 * schema.cql). It holds no database; the integration tests use a real Cassandra for everything else.
 */
public final class StandInCassandra {

    private static final Map<String, String[]> WIRE_TABLES = Map.of(
            "brig", new String[] {"user", "user_keys", "clients", "prekeys"},
            "galley", new String[] {"conversation", "member", "team"},
            "gundeck", new String[] {"user_push"},
            "spar", new String[] {"idp", "user"},
            "system", new String[] {"local", "peers_v2"});

    public final Path dataDir;
    public final Path nodetool;
    public final Path statusFile;
    public final Path configFile;

    private StandInCassandra(Path dataDir, Path nodetool, Path statusFile, Path configFile) {
        this.dataDir = dataDir;
        this.nodetool = nodetool;
        this.statusFile = statusFile;
        this.configFile = configFile;
    }

    public static StandInCassandra create(Path root) throws IOException {
        Path dataDir = Files.createDirectories(root.resolve("var/lib/cassandra/data"));
        Random random = new Random(42);
        for (Map.Entry<String, String[]> keyspace : WIRE_TABLES.entrySet()) {
            for (String table : keyspace.getValue()) {
                String id = UUID.nameUUIDFromBytes((keyspace.getKey() + table).getBytes()).toString().replace("-", "");
                Path tableDir = Files.createDirectories(dataDir.resolve(keyspace.getKey()).resolve(table + "-" + id));
                byte[] sstable = new byte[20_000 + random.nextInt(50_000)];
                random.nextBytes(sstable);
                Files.write(tableDir.resolve("nb-1-big-Data.db"), sstable);
                Files.writeString(tableDir.resolve("nb-1-big-TOC.txt"), "Data.db\nTOC.txt\n");
            }
        }
        Path statusFile = root.resolve("nodetool-status.txt");
        setStatus(statusFile, "UN", "UN", "UN");
        Path configFile = Files.createDirectories(root.resolve("etc/cassandra")).resolve("cassandra.yaml");
        Files.writeString(configFile, "cluster_name: wire\nauto_snapshot: false\nsnapshot_before_compaction: false\n");
        Path nodetool = root.resolve("bin/nodetool");
        Files.createDirectories(nodetool.getParent());
        Files.writeString(nodetool, """
                #!/bin/sh
                # STAND-IN for Cassandra's nodetool (wire-backup demo and tests): it acts on the files under DATA,
                # the way Cassandra lays out snapshots; there is no database behind it.
                DATA=%s
                cmd=$1; shift
                tag=; keyspaces=
                while [ $# -gt 0 ]; do
                  case "$1" in -t) tag=$2; shift 2 ;; -*) shift ;; *) keyspaces="$keyspaces $1"; shift ;; esac
                done
                case "$cmd" in
                  status) cat %s ;;
                  snapshot)
                    [ -n "$keyspaces" ] || keyspaces=$(ls "$DATA")
                    for ks in $keyspaces; do
                      [ -d "$DATA/$ks" ] || { echo "Keyspace $ks does not exist" >&2; exit 2; }
                      for table in "$DATA/$ks"/*/; do
                        snap="${table}snapshots/$tag"
                        [ -e "$snap" ] && { echo "Snapshot $tag already exists." >&2; exit 2; }
                        mkdir -p "$snap"
                        for f in "$table"*.db "$table"*.txt; do ln "$f" "$snap/"; done
                        name=$(basename "$table"); name=${name%%%%-*}
                        echo '{"files":["nb-1-big-Data.db"]}' > "$snap/manifest.json"
                        echo "CREATE TABLE IF NOT EXISTS $ks.$name (id uuid PRIMARY KEY);" > "$snap/schema.cql"
                      done
                    done
                    echo "Snapshot directory: $tag" ;;
                  clearsnapshot) rm -rf "$DATA"/*/*/snapshots/"$tag"; echo "Requested clearing snapshot(s) for [$tag]" ;;
                  *) echo "stand-in nodetool: '$cmd' is not supported" >&2; exit 1 ;;
                esac
                """.formatted(quote(dataDir.toString()), quote(statusFile.toString())));
        Files.setPosixFilePermissions(nodetool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new StandInCassandra(dataDir, nodetool, statusFile, configFile);
    }

    /** A snapshot taken outside wire-backup (an operator's, or an old one left behind). */
    public void nodetoolSnapshot(String tag) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(nodetool.toString(), "snapshot", "-t", tag).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("stand-in nodetool snapshot failed: " + out);
        }
    }

    /** What {@code nodetool status} reports: one state (UN, DN, UJ, ...) per node of a three-node cluster. */
    public void setStatus(String... states) throws IOException {
        setStatus(statusFile, states);
    }

    private static void setStatus(Path file, String... states) throws IOException {
        StringBuilder table = new StringBuilder("""
                Datacenter: datacenter1
                =======================
                Status=Up/Down
                |/ State=Normal/Leaving/Joining/Moving
                --  Address         Load       Tokens  Owns (effective)  Host ID                               Rack
                """);
        for (int i = 0; i < states.length; i++) {
            table.append(String.format("%s  192.168.220.%d  9.5%d MiB   256     100.0%%            %s  rack1%n",
                    states[i], 13 + 10 * i, i, UUID.nameUUIDFromBytes(new byte[] {(byte) i})));
        }
        Files.writeString(file, table.toString());
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
