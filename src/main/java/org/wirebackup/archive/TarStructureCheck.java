package org.wirebackup.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Watches the bytes of a tar archive go by, as they are read for their content, and checks the frame that a
 * reader such as commons-compress forgives but GNU tar does not: every header block's checksum (PAX {@code x} and
 * {@code g} headers and GNU long names too), every entry's data whole at the size GNU tar would read (a PAX
 * {@code size} record before the octal or base-256 field, as writers put it from 8 GiB on), and the end-of-archive
 * marker (two zero blocks) present, with the archive a whole number of blocks. A copy cut anywhere, even inside the
 * final zero blocks, does not pass; nor does a damaged PAX record.
 */
final class TarStructureCheck extends FilterInputStream {

    private static final int BLOCK = TarHeader.BLOCK;
    /** The most a PAX header or GNU long name may hold: names and a few numbers, never an entry's content. */
    static final int META_LIMIT = 1024 * 1024;

    private final byte[] block = new byte[BLOCK];
    private int filled;
    /** Data bytes (rounded up to whole blocks) still to come for the current entry. */
    private long dataLeft;
    /** The data of a PAX header or GNU long name being read, its real length, and its header. */
    private byte[] meta;
    private int metaLength;
    private TarHeader metaHeader;
    private long metaAt;
    /** What a PAX header or GNU long name said about the next entry. */
    private Long nextSize;
    private String nextName;
    private int zeroBlocks;
    private long headers;
    private long position;
    private String problem;

    TarStructureCheck(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            observe(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            observe(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // every byte must be seen: skipping reads
        byte[] scratch = new byte[(int) Math.min(n, 64 * 1024)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void observe(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && problem == null) {
            if (dataLeft > 0) {
                int take = (int) Math.min(dataLeft, end - i);
                if (meta != null) {
                    collectMeta(bytes, i, take);
                }
                dataLeft -= take;
                i += take;
                position += take;
                if (dataLeft == 0 && meta != null) {
                    metaDone();
                }
                continue;
            }
            int take = Math.min(BLOCK - filled, end - i);
            System.arraycopy(bytes, i, block, filled, take);
            filled += take;
            i += take;
            position += take;
            if (filled == BLOCK) {
                filled = 0;
                header();
            }
        }
    }

    private void header() {
        long blockStart = position - BLOCK;
        if (TarHeader.isZero(block)) {
            zeroBlocks++;
            return;
        }
        if (zeroBlocks > 0) {
            problem = "data after the end-of-archive marker at byte " + blockStart;
            return;
        }
        TarHeader header = TarHeader.parse(block);
        String name = nextName != null ? nextName : header.name();
        String at = "the tar header at byte " + blockStart + " (" + name + ")";
        if (!header.checksumMatches()) {
            problem = at + " has a wrong checksum";
            return;
        }
        long size = header.size();
        if (size == TarHeader.NEGATIVE) {
            problem = at + " has a negative size";
            return;
        }
        if (!header.isMeta() && nextSize != null) {
            size = nextSize;
        } else if (size == TarHeader.UNREADABLE) {
            problem = at + " has no readable size";
            return;
        }
        if (header.isMeta()) {
            if (size > META_LIMIT) {
                problem = at + " is a " + describe(header) + " of " + size + " bytes, more than any name or"
                        + " attribute needs";
                return;
            }
            meta = new byte[(int) size];
            metaLength = 0;
            metaHeader = header;
            metaAt = blockStart;
            dataLeft = (size + BLOCK - 1) / BLOCK * BLOCK;
            if (dataLeft == 0) {
                metaDone();
            }
            return;
        }
        headers++;
        nextSize = null;
        nextName = null;
        dataLeft = header.hasData() ? (size + BLOCK - 1) / BLOCK * BLOCK : 0;
    }

    private void collectMeta(byte[] bytes, int offset, int length) {
        int take = Math.min(length, meta.length - metaLength);
        if (take > 0) {
            System.arraycopy(bytes, offset, meta, metaLength, take);
            metaLength += take;
        }
    }

    /** A PAX header or long name read whole: what it says applies to the next entry (GNU tar's order). */
    private void metaDone() {
        byte[] data = meta;
        TarHeader header = metaHeader;
        meta = null;
        metaHeader = null;
        switch (header.type()) {
            case TarHeader.GNU_LONG_NAME -> nextName = cString(data);
            case TarHeader.GNU_LONG_LINK -> {
                // the link target: not needed for the frame
            }
            default -> {
                java.util.Map<String, String> records;
                try {
                    records = PaxRecords.parse(data, data.length);
                } catch (IllegalArgumentException e) {
                    problem = "the " + describe(header) + " at byte " + metaAt + " is damaged: " + e.getMessage();
                    return;
                }
                if (header.type() == TarHeader.PAX_NEXT) {
                    if (records.containsKey("size")) {
                        try {
                            nextSize = PaxRecords.size(records.get("size"));
                        } catch (IllegalArgumentException e) {
                            problem = "the " + describe(header) + " at byte " + metaAt + " is damaged: "
                                    + e.getMessage();
                            return;
                        }
                    }
                    if (records.containsKey("path")) {
                        nextName = records.get("path");
                    }
                }
            }
        }
    }

    private static String describe(TarHeader header) {
        return switch (header.type()) {
            case TarHeader.PAX_NEXT -> "PAX extended header";
            case TarHeader.PAX_GLOBAL -> "PAX global header";
            default -> "GNU long name";
        };
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** After the whole stream was read: null when the archive is complete, else what is wrong with it. */
    String problemAtEnd() {
        if (problem != null) {
            return problem;
        }
        if (dataLeft > 0 || filled > 0) {
            return "the archive ends in the middle of " + (dataLeft > 0 ? "an entry's data" : "a block")
                    + " (cut after " + position + " bytes)";
        }
        if (nextSize != null || nextName != null) {
            return "the archive ends after a PAX header or long name, before the entry it describes";
        }
        if (headers == 0) {
            return "the archive holds no entries";
        }
        if (zeroBlocks < 2) {
            return "the end-of-archive marker is " + (zeroBlocks == 0 ? "missing" : "incomplete (one zero block of two)")
                    + ": the copy was cut after " + position + " bytes";
        }
        return null;
    }
}
