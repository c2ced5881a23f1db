package org.wirebackup.restore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.wirebackup.archive.Manifest;

/**
 * What a Cassandra load must reach: each table's partitions as the backed-up nodes counted them at capture. A table's
 * figure is the largest any node recorded: every node's partitions are among the table's, whatever the replication,
 * so it is a floor for the rows a complete load brings back (a partition holds at least one row, unless all of it
 * was deleted or expired: hence the allowed shortfall).
 */
public final class CapturedFigures {

    /** How far below the capture's figure a restore's rows may fall before it fails (tombstones, TTLs, estimates). */
    public static final double RESTORE_MAX_SHORTFALL = 0.5;

    private CapturedFigures() {
    }

    public static Map<String, Long> of(Collection<Manifest.Part> nodeParts) {
        Map<String, Long> figures = new TreeMap<>();
        for (Manifest.Part part : nodeParts) {
            if (part.tablePartitions() != null) {
                part.tablePartitions().forEach((table, partitions) -> figures.merge(table, partitions, Math::max));
            }
        }
        return figures;
    }

    /** Each table that fell short: none, or fewer rows than {@code (1 - maxShortfall)} of its figure. */
    public static List<String> shortfalls(Map<String, Long> captured, Map<String, Long> rows, double maxShortfall,
                                          String setting) {
        List<String> shortfalls = new ArrayList<>();
        captured.forEach((table, partitions) -> {
            Long count = rows.get(table);
            if (partitions > 0 && (count == null || count == 0 || count < partitions * (1 - maxShortfall))) {
                shortfalls.add(table + ": " + (count == null ? "not found" : count + " rows") + " after the load, but"
                        + " the backed-up node counted about " + partitions + " partitions at capture (at most "
                        + Math.round(maxShortfall * 100) + "% fewer allowed, " + setting + ")");
            }
        });
        return shortfalls;
    }
}
