package org.wirebackup.source.cassandra;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configured nodetool as a shell command, its JVM told to compile with C1 only. nodetool is a short JMX client that
 * computes next to nothing, and on a node its JVM's C2 compiler is most of its CPU: {@code nodetool status} took 1.0-1.1
 * s and 1.3-1.4 CPU-s so against 1.35-1.4 s and 2.2-2.3 CPU-s (Cassandra 5.0.4's nodetool, measured in issue 13); a
 * backup runs four per node (status, snapshot, tablestats, clearsnapshot). The option joins any the host already sets, through {@code JAVA_TOOL_OPTIONS}, which every JVM
 * reads (a nodetool run through {@code sudo} or {@code docker exec} simply does not see it).
 */
public final class NodetoolCommand {

    static final String JVM_OPTION = "-XX:TieredStopAtLevel=1";

    private NodetoolCommand() {
    }

    /** {@code nodetool} (its words, each quoted) with the option in its environment, ready for a subcommand. */
    public static String of(List<String> nodetool) {
        return "JAVA_TOOL_OPTIONS=\"${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }" + JVM_OPTION + "\" "
                + nodetool.stream().map(w -> quote(w)).collect(Collectors.joining(" "));
    }
}
