package org.wirebackup.source.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** nodetool tablestats' text, as Cassandra 3.11 to 5.0 print it: each user table's partition estimate. */
class TableStatsTest {

    @Test
    void readsEachUserTablesPartitionsAndLeavesSystemKeyspacesAndIndexesOut() {
        String text = String.join("\n",
                "Total number of tables: 41",
                "----------------",
                "Keyspace : system",
                "\tRead Count: 12",
                "\t\tTable: local",
                "\t\tNumber of partitions (estimate): 1",
                "----------------",
                "Keyspace : brig",
                "\tRead Count: 0",
                "\t\tTable: user",
                "\t\tSSTable count: 1",
                "\t\tNumber of partitions (estimate): 3000",
                "\t\tMemtable cell count: 0",
                "\t\tTable (index): user.user_email_idx",
                "\t\tNumber of partitions (estimate): 12",
                "\t\tTable: user_handle",
                "\t\tNumber of partitions (estimate): 2999",
                "----------------",
                "Keyspace : galley",
                "\t\tTable: member",
                "\t\tNumber of partitions (estimate): 1000",
                "----------------");

        assertThat(TableStats.partitions(text)).containsExactly(Map.entry("brig.user", 3000L),
                Map.entry("brig.user_handle", 2999L), Map.entry("galley.member", 1000L));
    }

    @Test
    void textWithoutTablesGivesNone() {
        assertThat(TableStats.partitions("error: Unknown keyspace brig\n")).isEmpty();
    }
}
