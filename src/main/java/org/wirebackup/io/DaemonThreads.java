package org.wirebackup.io;

import java.util.concurrent.ThreadFactory;

/** Threads for pools of helpers (ciphers, uploads, side commands): daemons, so one left over never holds the JVM up. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
