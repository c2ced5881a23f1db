package org.wirebackup.restore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;

/**
 * What the target cluster holds now of the keyspaces a restore loads: per keyspace, missing, or the tables that hold
 * at least one row. Read over CQL ({@code SELECT * ... LIMIT 1} per table), changing nothing.
 *
 * @param tablesWithData per keyspace that exists, its tables that hold data (empty: it exists, and is empty)
 * @param missing        the keyspaces the cluster does not have
 * @param error          why the cluster could not be read; null when it was
 */
public record KeyspaceState(Map<String, List<String>> tablesWithData, List<String> missing, String error) {

    static KeyspaceState read(CqlSession session, Collection<String> keyspaces) {
        Map<String, List<String>> withData = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : keyspaces) {
            KeyspaceMetadata keyspace = session.getMetadata().getKeyspace(name).orElse(null);
            if (keyspace == null) {
                missing.add(name);
                continue;
            }
            List<String> tables = new ArrayList<>();
            for (TableMetadata table : keyspace.getTables().values()) {
                String qualified = keyspace.getName().asCql(true) + "." + table.getName().asCql(true);
                if (session.execute("SELECT * FROM " + qualified + " LIMIT 1").one() != null) {
                    tables.add(table.getName().asInternal());
                }
            }
            withData.put(name, tables.stream().sorted().toList());
        }
        return new KeyspaceState(withData, missing, null);
    }

    static KeyspaceState unreadable(String why) {
        return new KeyspaceState(Map.of(), List.of(), why);
    }

    /** The keyspaces that exist and hold data: a restore without --replace would merge into them. */
    public List<String> holdingData() {
        return tablesWithData.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /** One line for the plan. */
    String describe(String runId) {
        if (error != null) {
            return "cannot be read: " + error;
        }
        List<String> parts = new ArrayList<>();
        missing.forEach(k -> parts.add(k + " missing"));
        tablesWithData.forEach((k, tables) -> parts.add(tables.isEmpty() ? k + " exists, empty" : k
                + " HOLDS DATA (" + String.join(", ", tables) + ")"));
        if (!holdingData().isEmpty()) {
            parts.add("--replace snapshots what holds data on the nodes as before-restore-" + runId
                    + " (nodetool snapshot, nothing deleted), then truncates its tables before loading");
        }
        return "keyspaces: " + String.join("; ", parts);
    }
}
