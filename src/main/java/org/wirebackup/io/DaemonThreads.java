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

    /** Starts a head start's work (a warm-up) on a low-priority daemon: it never holds up the work it speeds up. */
    public static void startInBackground(String name, Runnable work) {
        Thread thread = named(name).newThread(work);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }
}
