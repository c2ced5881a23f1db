package org.wirebackup.source;

import org.wirebackup.ssh.SshTarget;

/** Something a run captures from a host into one file of the run directory. */
public interface Source {

    /** Unique within a run; the file's name starts with it. */
    String name();

    /** What kind of data this is: {@code wire-server}, {@code cassandra}, {@code cassandra-schema}, {@code minio}, {@code command}. */
    String kind();

    SshTarget host();

    /** What is captured on the host (a path, or the command), for the run record and the restore. */
    String remotePath();

    /** The compression asked for; the one used is in the captured file (zstd may be missing on a host). */
    Compression compression();

    /** Runs the source's remote steps and streams its data to the run directory. */
    CapturedFile capture(CaptureContext context) throws SourceStepException;
}
