package org.wirebackup.ssh;

import java.util.Objects;

/** Where a remote command runs: {@code user@host:port}; IPv6 literals go in brackets ({@code wire@[fd00::1]:22}). */
public record SshTarget(String user, String host, int port) {

    public SshTarget {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        if (user.isBlank() || host.isBlank()) {
            throw new IllegalArgumentException("user and host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
    }

    /**
     * Parses {@code [user@]host[:port]}, taking the user and port that are not given from the defaults.
     *
     * @throws IllegalArgumentException with a message fit for an operator when the text is not of that form
     */
    public static SshTarget parse(String text, String defaultUser, int defaultPort) {
        String rest = text.trim();
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("no host given");
        }
        String user = defaultUser;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' opens '[' without closing it");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' has '" + after + "' after the host");
            }
        } else if (rest.indexOf(':') != rest.lastIndexOf(':')) {
            host = rest; // a bare IPv6 literal, no port
        } else {
            int colon = rest.indexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            portText = colon < 0 ? null : rest.substring(colon + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
            throw new IllegalArgumentException("'" + text + "' does not name a host");
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has an empty user");
        }
        int port = defaultPort;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a port that is not a number: '" + portText + "'");
            }
        }
        return new SshTarget(user, host, port);
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return user + "@" + h + (port == 22 ? "" : ":" + port);
    }
}
