package org.wirebackup.source.cassandra;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code nodetool tablestats}' text: each table's partition estimate, keyed {@code keyspace.table}, system
 * keyspaces left out. The text is the same from Cassandra 3.11 to 5.0 for these lines ({@code Keyspace : brig},
 * {@code Table: user}, {@code Number of partitions (estimate): 3000}); older nodes say "keys" for partitions.
 */
public final class TableStats {

    private static final Pattern KEYSPACE = Pattern.compile("^Keyspace\\s*:\\s*(\\S+)\\s*$");
    private static final Pattern TABLE = Pattern.compile("^Table(?: \\(index\\))?\\s*:\\s*(\\S+)\\s*$");
    private static final Pattern PARTITIONS = Pattern.compile("^Number of (?:partitions|keys) \\(estimate\\)\\s*:\\s*(\\d+)\\s*$");

    private TableStats() {
    }

    public static Map<String, Long> partitions(String tablestats) {
        Map<String, Long> partitions = new TreeMap<>();
        String keyspace = null;
        String table = null;
        for (String raw : tablestats.split("\n")) {
            String line = raw.strip();
            Matcher m;
            if ((m = KEYSPACE.matcher(line)).matches()) {
                keyspace = m.group(1);
                table = null;
            } else if ((m = TABLE.matcher(line)).matches()) {
                table = line.startsWith("Table (index)") ? null : m.group(1);
            } else if ((m = PARTITIONS.matcher(line)).matches() && keyspace != null && table != null
                    && !CassandraSettings.SYSTEM_KEYSPACES.contains(keyspace)) {
                partitions.put(keyspace + "." + table, Long.parseLong(m.group(1)));
            }
        }
        return partitions;
    }
}
