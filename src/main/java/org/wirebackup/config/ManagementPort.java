package org.wirebackup.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The management server (health, metrics, run history) must really listen when it is on: Camel logs a port it
 * cannot bind and goes on, leaving monitoring a URL that answers nothing. Checked before start-up goes further.
 */
final class ManagementPort {

    static final String HOST = "camel.management.host";
    static final String PORT = "camel.management.port";

    private ManagementPort() {
    }

    static void requireFree(SettingsReader settings) {
        String host = settings.required(HOST);
        int port = settings.integer(PORT, 1, 65535);
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new ConfigurationException(PORT, "the management server cannot listen on " + host + ":" + port
                    + " (" + e.getMessage() + "): is another wire-backup or another service on it? Set "
                    + PORT + " (or CAMEL_MANAGEMENT_PORT), or camel.management.enabled=false", e);
        }
    }
}
