package org.wirebackup.source.cassandra;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import org.wirebackup.io.HashingFileOutput;
import org.wirebackup.source.CaptureContext;
import org.wirebackup.source.CapturedFile;
import org.wirebackup.source.Compression;
import org.wirebackup.source.Source;
import org.wirebackup.source.SourceStepException;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.SshTarget;

/**
 * The keyspaces' schema (replication settings, tables, types), which a restore needs to recreate them: a table's
 * snapshot holds only its own schema.cql. Read over CQL through an SSH tunnel to one node (the first that answers),
 * described from the driver's schema metadata, so it works on Cassandra 3.11 to 5.0 alike.
 */
public record CassandraSchemaSource(List<SshTarget> nodes, CassandraSettings settings) implements Source {

    public static final String KIND = "cassandra-schema";
    public static final String FILE = "cassandra-schema.cql";

    public CassandraSchemaSource {
        nodes = List.copyOf(nodes);
    }

    @Override
    public String name() {
        return KIND;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public SshTarget host() {
        return nodes.get(0);
    }

    @Override
    public String remotePath() {
        return "CQL port " + settings.cqlPort();
    }

    @Override
    public Compression compression() {
        return Compression.none();
    }

    @Override
    public CapturedFile capture(CaptureContext context) throws SourceStepException {
        List<String> failures = new ArrayList<>();
        for (SshTarget node : nodes) {
            String address = CqlSessions.address(settings, node);
            try {
                HashingFileOutput.Written written = context.ssh().throughTunnel(node, address, settings.cqlPort(),
                        local -> writeSchema(local, context.partialOf(FILE)));
                context.putInPlace(context.partialOf(FILE), FILE);
                if (!failures.isEmpty()) {
                    context.warn("schema read from " + node + " after: " + String.join("; ", failures));
                }
                return new CapturedFile(context.runDir().resolve(FILE), written.bytes(), written.sha256(), "cql",
                        Compression.none(), null, null, null);
            } catch (RemoteCommandException | IOException e) {
                failures.add(node + ": " + e.getMessage());
                deleteQuietly(context.partialOf(FILE));
            }
        }
        throw new SourceStepException("schema", "no node answered CQL through SSH: " + String.join("; ", failures),
                "check backup.cassandra.cql-port / cql-address, that sshd allows TCP forwarding, and the CQL credentials");
    }

    private HashingFileOutput.Written writeSchema(InetSocketAddress local, Path partial) throws IOException {
        try (CqlSession session = CqlSessions.open(local, settings);
             HashingFileOutput file = new HashingFileOutput(partial)) {
            Writer writer = new OutputStreamWriter(file, StandardCharsets.UTF_8);
            writer.write("-- Keyspace schema read over CQL by wire-backup; replay with cqlsh -f before loading snapshots.\n");
            List<KeyspaceMetadata> keyspaces = session.getMetadata().getKeyspaces().values().stream()
                    .filter(k -> !CassandraSettings.SYSTEM_KEYSPACES.contains(k.getName().asInternal()))
                    .filter(k -> settings.keyspaces().isEmpty() || settings.keyspaces().contains(k.getName().asInternal()))
                    .sorted((a, b) -> a.getName().asInternal().compareTo(b.getName().asInternal()))
                    .toList();
            if (keyspaces.isEmpty()) {
                throw new IOException("the cluster's schema has none of the keyspaces to back up");
            }
            for (KeyspaceMetadata keyspace : keyspaces) {
                writer.write(keyspace.describeWithChildren(true));
                writer.write("\n\n");
            }
            writer.flush();
            return file.finish();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a .partial is never taken for a backup
        }
    }
}
