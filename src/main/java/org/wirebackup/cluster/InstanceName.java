package org.wirebackup.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** How this instance is named in the cluster's history and alerts: its host name and process id. */
public final class InstanceName {

    private InstanceName() {
    }

    public static String of() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
