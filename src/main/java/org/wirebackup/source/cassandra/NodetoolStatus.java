package org.wirebackup.source.cassandra;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The node lines of {@code nodetool status}: state (UN = up, normal) and address of every node the node knows. */
record NodetoolStatus(List<Node> nodes, String table) {

    private static final Pattern NODE_LINE = Pattern.compile("^([UD][NLJM])\\s+(\\S+)\\s");

    record Node(String state, String address) {
    }

    static NodetoolStatus parse(String output) {
        List<Node> nodes = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = NODE_LINE.matcher(line);
            if (m.find()) {
                nodes.add(new Node(m.group(1), m.group(2)));
            }
        }
        return new NodetoolStatus(nodes, output.strip());
    }

    boolean allUpAndNormal() {
        return !nodes.isEmpty() && nodes.stream().allMatch(n -> n.state().equals("UN"));
    }

    List<Node> notUpAndNormal() {
        return nodes.stream().filter(n -> !n.state().equals("UN")).toList();
    }
}
