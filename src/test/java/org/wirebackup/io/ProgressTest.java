package org.wirebackup.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void reportsAtTheIntervalWithRateAndEtaWhenTheTotalIsKnown() throws Exception {
        List<String> lines = new ArrayList<>();
        Progress copy = new Progress("copying x", 100_000_000, Duration.ofMillis(50), lines::add);
        copy.add(10_000_000);
        assertThat(lines).isEmpty();
        Thread.sleep(60);
        copy.add(15_000_000);
        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .matches("copying x: 25\\.0 MB of 100\\.0 MB \\(25%\\), [0-9.]+ MB/s, ETA [0-9.hms]+"));

        Progress capture = new Progress("capturing y", -1, Duration.ZERO, lines::add);
        capture.add(1_500_000);
        assertThat(lines.get(1)).matches("capturing y: 1\\.5 MB, [0-9.]+ MB/s");
    }
}
