package org.wirebackup.source;

import java.nio.file.Path;

/**
 * One source's data, complete on disk.
 *
 * @param format      {@code tar} for archives, {@code cql} for a schema, {@code raw} for a command's own output
 * @param compression the compression actually used
 * @param command     the remote command whose stdout this is (for the record; none for a schema read over CQL)
 */
public record CapturedFile(Path file, long bytes, String sha256, String format, Compression compression,
                           String command, Integer exitStatus, String stderrTail) {
}
