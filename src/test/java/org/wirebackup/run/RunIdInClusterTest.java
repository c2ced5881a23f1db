package org.wirebackup.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a cluster each instance has its own BACKUP_DIR, so its own run directories cannot keep two instances' runs apart:
 * a run that starts within the second the cluster's newest run started takes the next second, so that their copies
 * never share a name at a shared destination.
 */
class RunIdInClusterTest {

    @TempDir
    Path tmp;

    @Test
    void aRunNeverTakesTheIdOfTheClustersNewestRun() throws Exception {
        RunRecordStore store = new RunRecordStore(tmp);
        List<String> newestAsked = new java.util.ArrayList<>();
        RunCoordination cluster = new RunCoordination() {
            @Override
            public Optional<Held> tryLock(String what, Runnable onLost) {
                return Optional.of(() -> { });
            }

            @Override
            public void recorded(RunRecord record) {
            }

            @Override
            public Optional<String> newestRunId() {
                // another instance's run began this very second
                String now = RunIds.of(Instant.now());
                newestAsked.add(now);
                return Optional.of(now);
            }
        };
        RunLifecycle lifecycle = new RunLifecycle(tmp, store, List.of(), false, "test", new RunMetrics(store),
                failure -> { }, cluster);

        BackupRun run = lifecycle.begin("test");
        try {
            assertThat(newestAsked).singleElement();
            assertThat(run.id()).isGreaterThan(newestAsked.get(0));
        } finally {
            lifecycle.release(run);
        }
    }
}
