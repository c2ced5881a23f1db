package org.wirebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** A drill's scratch cluster gets each keyspace with a replication it can hold; what already fits is left alone. */
class ScratchReplicationTest {

    private static final Map<String, Integer> ONE_NODE = Map.of("datacenter1", 1);

    @Test
    void aSimpleStrategyFactorAboveTheNodesIsLowered() {
        ScratchReplication.Fitted fitted = ScratchReplication.fit("CREATE KEYSPACE IF NOT EXISTS brig WITH replication ="
                + " { 'class' : 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '3' }"
                + "  AND durable_writes = true", ONE_NODE);

        assertThat(fitted.statement()).isEqualTo("CREATE KEYSPACE IF NOT EXISTS brig WITH replication = {'class':"
                + " 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1'}  AND durable_writes = true");
        assertThat(fitted.change()).isEqualTo("brig: replication factor 3 becomes factor 1 on the scratch cluster"
                + " (1 node in datacenter1)");
    }

    @Test
    void productionsDatacentersBecomeTheScratchClustersWithTheFactorsItCanHold() {
        Map<String, Integer> scratch = new TreeMap<>(Map.of("drill-a", 2, "drill-b", 1));
        ScratchReplication.Fitted fitted = ScratchReplication.fit("CREATE KEYSPACE galley WITH replication = {'class':"
                + " 'NetworkTopologyStrategy', 'dc-berlin': 3, 'dc-hamburg': '2'}", scratch);

        assertThat(fitted.statement()).isEqualTo("CREATE KEYSPACE galley WITH replication = {'class':"
                + " 'NetworkTopologyStrategy', 'drill-a': '2', 'drill-b': '1'}");
        assertThat(fitted.change()).isEqualTo("galley: replication dc-berlin 3, dc-hamburg 2 becomes drill-a 2,"
                + " drill-b 1 on the scratch cluster (2 nodes in drill-a, 1 node in drill-b)");
    }

    @Test
    void aDatacenterTheScratchClusterSharesKeepsItsOwnFactor() {
        ScratchReplication.Fitted fitted = ScratchReplication.fit("CREATE KEYSPACE spar WITH replication = {'class':"
                + " 'NetworkTopologyStrategy', 'dc1': '1', 'dc2': '3'}", new TreeMap<>(Map.of("dc1", 3)));

        assertThat(fitted.statement()).contains("{'class': 'NetworkTopologyStrategy', 'dc1': '1'}");
    }

    @Test
    void whatFitsAndWhatIsNoKeyspaceIsLeftAlone() {
        String fits = "CREATE KEYSPACE IF NOT EXISTS gundeck WITH replication = {'class': 'SimpleStrategy',"
                + " 'replication_factor': '1'}";
        String fitsNts = "CREATE KEYSPACE galley WITH replication = {'class': 'NetworkTopologyStrategy',"
                + " 'datacenter1': '1'}";
        String table = "CREATE TABLE IF NOT EXISTS brig.user (id uuid PRIMARY KEY)";
        String transientReplicas = "CREATE KEYSPACE t WITH replication = {'class': 'NetworkTopologyStrategy',"
                + " 'datacenter1': '3/1'}";

        for (String statement : new String[] {fits, fitsNts, table, transientReplicas}) {
            ScratchReplication.Fitted fitted = ScratchReplication.fit(statement, ONE_NODE);
            assertThat(fitted.statement()).isEqualTo(statement);
            assertThat(fitted.change()).isNull();
        }
    }
}
