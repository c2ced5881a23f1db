package org.wirebackup.source.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class NodetoolCommandTest {

    /** What the shell hands the nodetool it runs, with the host's own JAVA_TOOL_OPTIONS set or not. */
    private static String optionsSeen(String hostsOwn) throws Exception {
        // a stand-in nodetool printing what its JVM would read; its words are quoted as the configured ones are
        String command = NodetoolCommand.of(List.of("sh", "-c", "printf '%s' \"$JAVA_TOOL_OPTIONS\"")) + " status";
        ProcessBuilder shell = new ProcessBuilder("sh", "-c", command);
        shell.environment().remove("JAVA_TOOL_OPTIONS");
        if (hostsOwn != null) {
            shell.environment().put("JAVA_TOOL_OPTIONS", hostsOwn);
        }
        Process process = shell.start();
        String seen = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        return seen;
    }

    @Test
    void nodetoolsJvmCompilesWithC1Only() throws Exception {
        assertThat(optionsSeen(null)).isEqualTo("-XX:TieredStopAtLevel=1");
    }

    @Test
    void optionsTheHostAlreadySetsAreKept() throws Exception {
        assertThat(optionsSeen("-Djava.io.tmpdir=/var/tmp -Xss1m"))
                .isEqualTo("-Djava.io.tmpdir=/var/tmp -Xss1m -XX:TieredStopAtLevel=1");
    }
}
