package org.wirebackup.source;

import org.wirebackup.ssh.SshTarget;

/** File-name-safe names for sources, built from hosts and paths. */
public final class SourceNames {

    private SourceNames() {
    }

    /** The host, with its port when it is not 22: {@code 10.0.0.11}, {@code cassandra1-2222}. */
    public static String of(SshTarget host) {
        return safe(host.host() + (host.port() == 22 ? "" : "-" + host.port()));
    }

    public static String safe(String text) {
        String safe = text.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.startsWith(".") ? "_" + safe.substring(1) : safe;
    }
}
