package org.wirebackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.CassandraNode;

class CassandraSmokeIT {

    @TempDir
    Path tmp;

    @Test
    void startsAndAnswersNodetool() throws Exception {
        long t = System.nanoTime();
        try (CassandraNode node = CassandraNode.start(tmp.resolve("cassandra"))) {
            System.out.printf("Cassandra up in %.1f s%n", (System.nanoTime() - t) / 1e9);
            long n = System.nanoTime();
            String status = node.nodetool("status");
            System.out.printf("nodetool status in %.1f s:%n%s%n", (System.nanoTime() - n) / 1e9, status);
            assertThat(status).contains("UN  127.0.0.1");
        }
    }
}
