package org.wirebackup.restore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.wirebackup.source.cassandra.NodetoolCommand;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.SshTarget;

/**
 * Every node the Cassandra cluster reports ({@code nodetool status}), whether it is up, and the SSH host that is that
 * node, found by asking each known host which node it is ({@code nodetool info}'s host ID: no guessing from names or
 * addresses, which differ behind NAT or in /etc/hosts). A {@code TRUNCATE} empties a table on every node, so before
 * one, every node must be snapshotted: a node that is down, or that no known SSH host is, makes truncating unsafe.
 *
 * @param nodes       the nodes as the cluster reports them; empty when it could not be read
 * @param unreachable known SSH hosts that could not say which node they are, with why
 * @param error       why the cluster's nodes could not be read; null when they were
 */
public record ClusterNodes(List<Node> nodes, Map<SshTarget, String> unreachable, String error) {

    /** One node: its address and host ID as {@code nodetool status} prints them, and the SSH host that is it. */
    public record Node(String address, String hostId, boolean up, SshTarget ssh) {
    }

    private static final Pattern STATUS_LINE = Pattern.compile(
            "^([UD])[NLJM]\\s+(\\S+)\\s.*?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\b.*$");
    private static final Pattern INFO_ID = Pattern.compile("(?m)^ID\\s*:\\s*([0-9a-f-]{36})\\s*$");

    /**
     * @param statusHost the node to ask for the cluster's view
     * @param known      every SSH host that may be a node (the restore's node targets, restore.cassandra.hosts)
     */
    public static ClusterNodes read(RemoteCommandRunner ssh, List<String> nodetool, SshTarget statusHost,
                                    Collection<SshTarget> known) {
        List<Node> reported = new ArrayList<>();
        try {
            String status = ssh.runForText(statusHost, NodetoolCommand.of(nodetool) + " status", 1024 * 1024);
            for (String line : status.split("\n")) {
                Matcher m = STATUS_LINE.matcher(line.strip());
                if (m.matches()) {
                    reported.add(new Node(m.group(2), m.group(3), m.group(1).equals("U"), null));
                }
            }
        } catch (RemoteCommandException e) {
            return new ClusterNodes(List.of(), Map.of(), "nodetool status on " + statusHost + " failed: "
                    + e.messageWithStderr());
        }
        if (reported.isEmpty()) {
            return new ClusterNodes(List.of(), Map.of(), "nodetool status on " + statusHost + " listed no node");
        }
        Map<String, SshTarget> byHostId = new LinkedHashMap<>();
        Map<SshTarget, String> unreachable = new LinkedHashMap<>();
        for (SshTarget host : known) {
            try {
                Matcher id = INFO_ID.matcher(ssh.runForText(host, NodetoolCommand.of(nodetool) + " info", 1024 * 1024));
                if (id.find()) {
                    byHostId.putIfAbsent(id.group(1), host);
                } else {
                    unreachable.put(host, "nodetool info printed no ID");
                }
            } catch (RemoteCommandException e) {
                unreachable.put(host, e.messageWithStderr());
            }
        }
        List<Node> nodes = reported.stream()
                .map(n -> new Node(n.address(), n.hostId(), n.up(), byHostId.get(n.hostId()))).toList();
        return new ClusterNodes(nodes, unreachable, null);
    }

    /** Why every node cannot be snapshotted now, or null when it can: each node is up and reached over SSH. */
    public String whyNotEveryNode() {
        if (error != null) {
            return "the cluster's nodes cannot be read (" + error + ")";
        }
        List<String> problems = new ArrayList<>();
        for (Node node : nodes) {
            if (!node.up()) {
                problems.add("node " + node.address() + " is down (nodetool status)");
            } else if (node.ssh() == null) {
                problems.add("node " + node.address() + " (host ID " + node.hostId() + ") is not one of the SSH hosts"
                        + " known to this restore (add it to " + RestoreSettings.CASSANDRA_HOSTS + ")");
            }
        }
        if (!problems.isEmpty()) {
            unreachable.forEach((host, why) -> problems.add("could not ask " + host + " which node it is: " + why));
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    public List<SshTarget> sshHosts() {
        return nodes.stream().map(Node::ssh).filter(h -> h != null).distinct().toList();
    }

    /** One line for the plan. */
    String describe() {
        if (error != null) {
            return "cluster: cannot be read (" + error + ")";
        }
        return "cluster: " + nodes.stream().map(n -> n.address() + " " + (n.up() ? "up" : "DOWN")
                + (n.ssh() == null ? ", no SSH host known" : " (" + n.ssh() + ")")).collect(Collectors.joining(", "));
    }
}
