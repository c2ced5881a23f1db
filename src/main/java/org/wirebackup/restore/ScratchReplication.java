package org.wirebackup.restore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Fits a {@code CREATE KEYSPACE} statement's replication to a drill's scratch cluster, which is smaller than production
 * and names its datacenters its own way: a factor above the nodes there is lowered to them, and a
 * NetworkTopologyStrategy names the scratch cluster's datacenters instead of production's (each with the factor
 * production asked of that datacenter, or its largest). Used for a drill only: a restore keeps production's replication
 * as the backup recorded it.
 */
final class ScratchReplication {

    private static final Pattern KEYSPACE = Pattern.compile("^CREATE\\s+KEYSPACE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
            + "\"?(\\w+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern REPLICATION = Pattern.compile("replication\\s*=\\s*\\{([^}]*)}",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTRY = Pattern.compile("'([^']*)'\\s*:\\s*'?([^',}]*?)'?\\s*(?:,|$)");

    /** The statement as it runs on the scratch cluster, and what changed in words (null: nothing). */
    record Fitted(String statement, String change) {
    }

    private ScratchReplication() {
    }

    /** @param nodesPerDatacenter the scratch cluster's datacenters and how many nodes each has */
    static Fitted fit(String statement, Map<String, Integer> nodesPerDatacenter) {
        Matcher keyspace = KEYSPACE.matcher(statement);
        Matcher replication = REPLICATION.matcher(statement);
        if (!keyspace.find() || !replication.find() || nodesPerDatacenter.isEmpty()) {
            return new Fitted(statement, null);
        }
        Map<String, String> options = new LinkedHashMap<>();
        Matcher entry = ENTRY.matcher(replication.group(1).strip());
        while (entry.find()) {
            options.put(entry.group(1), entry.group(2).strip());
        }
        String strategy = options.getOrDefault("class", "");
        Map<String, Integer> asked = new LinkedHashMap<>();
        try {
            options.forEach((key, value) -> {
                if (!key.equals("class")) {
                    asked.put(key, Integer.parseInt(value));
                }
            });
        } catch (NumberFormatException transientOrUnknown) {
            return new Fitted(statement, null);
        }
        Map<String, Integer> fitted = new LinkedHashMap<>();
        if (strategy.endsWith("SimpleStrategy") && asked.containsKey("replication_factor")) {
            int nodes = nodesPerDatacenter.values().stream().mapToInt(Integer::intValue).sum();
            fitted.put("replication_factor", Math.min(asked.get("replication_factor"), nodes));
        } else if (strategy.endsWith("NetworkTopologyStrategy") && !asked.isEmpty()) {
            int largest = asked.values().stream().mapToInt(Integer::intValue).max().orElse(1);
            nodesPerDatacenter.forEach((dc, nodes) -> fitted.put(dc, Math.min(asked.getOrDefault(dc,
                    asked.getOrDefault("replication_factor", largest)), nodes)));
        } else {
            return new Fitted(statement, null);
        }
        if (fitted.equals(asked)) {
            return new Fitted(statement, null);
        }
        String map = "{'class': '" + strategy + "', " + fitted.entrySet().stream()
                .map(e -> "'" + e.getKey() + "': '" + e.getValue() + "'").collect(Collectors.joining(", ")) + "}";
        String rewritten = statement.substring(0, replication.start()) + "replication = " + map
                + statement.substring(replication.end());
        return new Fitted(rewritten, keyspace.group(1) + ": replication " + words(asked) + " becomes " + words(fitted)
                + " on the scratch cluster (" + nodesPerDatacenter.entrySet().stream()
                .map(e -> e.getValue() + " node" + (e.getValue() == 1 ? "" : "s") + " in " + e.getKey())
                .collect(Collectors.joining(", ")) + ")");
    }

    private static String words(Map<String, Integer> factors) {
        return factors.entrySet().stream().map(e -> e.getKey().equals("replication_factor")
                ? "factor " + e.getValue() : e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
