package org.wirebackup.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code manifest.json}, the first entry of every full backup: what each part is and its checksum. It is the
 * restore's contract; fields are only ever added.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int formatVersion, String runId, String startedAt, String finishedAt, String toolVersion,
                       List<Part> parts, String installation) {

    public static final int FORMAT_VERSION = 1;
    public static final String ENTRY = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Manifest {
        parts = parts == null ? null : List.copyOf(parts);
    }

    /**
     * One part: a source's file, as it sits in the full backup.
     *
     * @param name    the entry's name in the full backup, e.g. {@code wire-server.tar.gz}
     * @param entries the tar's entry count; null for a part that is no tar
     * @param tablePartitions for a Cassandra node's part, each table's partitions at capture ({@code nodetool
     *                        tablestats}' estimate, keyed {@code keyspace.table}); null for other parts
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(String name, String source, String kind, String host, String remotePath, String command,
                       String format, String compression, long size, String sha256, Long entries,
                       List<String> warnings, java.util.Map<String, Long> tablePartitions) {

        public Part(String name, String source, String kind, String host, String remotePath, String command,
                    String format, String compression, long size, String sha256, Long entries, List<String> warnings) {
            this(name, source, kind, host, remotePath, command, format, compression, size, sha256, entries, warnings,
                    null);
        }
    }

    byte[] toJson() throws IOException {
        return JSON.writeValueAsBytes(this);
    }

    /** Reads and checks a manifest; IOException naming what is wrong with it. */
    static Manifest read(InputStream in) throws IOException {
        Manifest manifest;
        try {
            manifest = JSON.readValue(in, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new IOException("manifest.json is not well-formed JSON: " + e.getOriginalMessage(), e);
        }
        if (manifest.formatVersion() != FORMAT_VERSION) {
            throw new IOException("manifest.json has format version " + manifest.formatVersion() + ", this tool reads "
                    + FORMAT_VERSION);
        }
        if (manifest.runId() == null || manifest.parts() == null || manifest.parts().isEmpty()) {
            throw new IOException("manifest.json lacks its run id or its parts");
        }
        for (Part part : manifest.parts()) {
            if (part.name() == null || part.sha256() == null || !part.sha256().matches("[0-9a-f]{64}")
                    || part.size() <= 0 || part.name().contains("/") || part.name().equals(ENTRY)) {
                throw new IOException("manifest.json has a part without a valid name, size or sha256: " + part.name());
            }
        }
        return manifest;
    }
}
