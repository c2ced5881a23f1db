package org.wirebackup.restore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backup's {@code cassandra-schema.cql} as statements (and its keyspaces, in the file's order) a restore can replay over CQL on a cluster that may
 * already have some of it: every {@code CREATE} made {@code IF NOT EXISTS}, so what exists is kept, not failed on.
 */
record CassandraSchemaFile(List<String> statements, Set<String> keyspaces) {

    private static final Pattern CREATE = Pattern.compile(
            "^(CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:KEYSPACE|TABLE|TYPE|CUSTOM\\s+INDEX|INDEX|MATERIALIZED\\s+VIEW|FUNCTION"
                    + "|AGGREGATE))\\s+(?!IF\\s+NOT\\s+EXISTS)", Pattern.CASE_INSENSITIVE);
    private static final Pattern KEYSPACE = Pattern.compile(
            "^CREATE\\s+KEYSPACE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?([A-Za-z0-9_]+)\"?", Pattern.CASE_INSENSITIVE);

    static CassandraSchemaFile parse(String cql) {
        List<String> statements = new ArrayList<>();
        Set<String> keyspaces = new LinkedHashSet<>();
        // the schema capture writes one statement per block, each ending in ";" at the end of a line
        for (String block : cql.split(";[ \\t]*(\\r?\\n|$)")) {
            String statement = withoutLineComments(block).strip();
            if (statement.isEmpty()) {
                continue;
            }
            Matcher keyspace = KEYSPACE.matcher(statement);
            if (keyspace.find()) {
                keyspaces.add(keyspace.group(1));
            }
            Matcher create = CREATE.matcher(statement);
            statements.add(create.find() && !create.group(1).toUpperCase(java.util.Locale.ROOT).contains("OR REPLACE")
                    ? create.replaceFirst("$1 IF NOT EXISTS ") : statement);
        }
        return new CassandraSchemaFile(List.copyOf(statements), java.util.Collections.unmodifiableSet(keyspaces));
    }

    private static String withoutLineComments(String block) {
        StringBuilder kept = new StringBuilder();
        for (String line : block.split("\n", -1)) {
            if (!line.strip().startsWith("--")) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }
}
