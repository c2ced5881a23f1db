package org.wirebackup.destination;

/**
 * What every destination route receives with a verified full backup: the body is the file ({@code java.io.File}),
 * {@code CamelFileName} its name (so a plain {@code file:} route writes it under that name), and these headers.
 */
public final class FullBackupHeaders {

    public static final String RUN_ID = "WireBackupRunId";
    public static final String FILE = "WireBackupFile";
    /**
     * The run's {@link org.wirebackup.run.Fence}: a destination asks it right before it links a copy into place,
     * completes an upload or prunes, and stops when the run's cluster lock is gone.
     */
    public static final String FENCE = "WireBackupFence";
    /** The run's directory ({@code runs/<run id>}): a destination keeps there what a killed run must leave a trace of. */
    public static final String RUN_DIR = "WireBackupRunDir";
    public static final String FILE_NAME = "WireBackupFileName";
    public static final String SHA256 = "WireBackupSha256";
    public static final String BYTES = "WireBackupBytes";
    /** {@code backup.installation-id}: a destination marks its copies with it and prunes only copies so marked. */
    public static final String INSTALLATION = "WireBackupInstallation";
    /**
     * Set to {@code true} by a destination that copied the full backup's {@code .sha256} itself (the shipped
     * kamelets); any other destination then gets the {@code .sha256} as a second message, with
     * {@link #CHECKSUM_OF} naming the full backup it belongs to.
     */
    public static final String CHECKSUM_COPIED = "WireBackupChecksumCopied";
    public static final String CHECKSUM_OF = "WireBackupChecksumOf";
    /** The destination's route id, for its log lines and errors. */
    public static final String DESTINATION = "WireBackupDestination";
    /** Set by a destination that knows where its copy is, for the run record. */
    public static final String LOCATION = "WireBackupDestinationLocation";
    /**
     * Set by a destination that checked its copy, saying how (e.g. "sha256 on the host"). A copy without it, as from a
     * plain {@code file:} route, is recorded as {@code unverified}.
     */
    public static final String VERIFIED_BY = "WireBackupDestinationVerifiedBy";
    /**
     * Set by a destination whose copy is good but not all that was asked for ({@code List<String>}), e.g. a store that
     * does not confirm the requested server-side encryption; kept in the run record and shown in the summary.
     */
    public static final String WARNINGS = "WireBackupDestinationWarnings";
    /** Set by a destination that uploaded in parts: the bytes per part it used ({@code Long}), for the run record. */
    public static final String PART_SIZE_USED = "WireBackupDestinationPartSize";

    private FullBackupHeaders() {
    }

    /** Asks the run's fence ({@link #FENCE}) before {@code action}; a copy made outside a run has none. */
    static void fence(org.apache.camel.Exchange exchange, String action)
            throws org.wirebackup.run.Fence.LockLostException {
        exchange.getIn().getHeader(FENCE, org.wirebackup.run.Fence.NONE, org.wirebackup.run.Fence.class).check(action);
    }
}
