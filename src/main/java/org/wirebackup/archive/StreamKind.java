package org.wirebackup.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/** What a stream's first bytes say it is: gzip, zstd, or neither. */
enum StreamKind {
    GZIP, ZSTD, NONE;

    static StreamKind sniff(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /** The decompressed stream (every gzip member in turn; zstd frames likewise). */
    InputStream decode(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            case ZSTD -> new ZstdCompressorInputStream(in);
            case NONE -> in;
        };
    }

    /** From the run record's compression, e.g. {@code gzip -9}, {@code zstd -3}, {@code none}. */
    static StreamKind ofCompression(String compression) {
        if (compression == null || compression.startsWith("none")) {
            return NONE;
        }
        return compression.startsWith("zstd") ? ZSTD : GZIP;
    }
}
