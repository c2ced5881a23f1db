package org.wirebackup.source;

import org.wirebackup.ssh.SshTarget;

/** Something a run captures: a remote command whose stdout is an archive, and the file it is streamed to. */
public interface Source {

    /** Unique within a run; the part's file name starts with it. */
    String name();

    /** What kind of data this is, e.g. {@code wire-server}. */
    String kind();

    SshTarget host();

    /** The remote path (or what the command reads), for the run record and the restore. */
    String remotePath();

    /** The shell script run on the host; every configured value in it is quoted. */
    String command();

    default String fileName() {
        return name() + compression().extension();
    }

    Compression compression();
}
