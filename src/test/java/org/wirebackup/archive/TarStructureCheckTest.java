package org.wirebackup.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tar frame check against the forms real writers use at every size: octal up to 8 GiB - 1, then a PAX size
 * record (commons-compress, GNU tar --format=posix) or a base-256 field (GNU tar's default format, star), long names
 * both ways, and damaged PAX records. Entry data is streamed without being materialized, so a 5 TiB entry (S3's
 * largest object) is checked in full in milliseconds.
 */
class TarStructureCheckTest {

    private static final long GIB = 1L << 30;
    private static final long OCTAL_LIMIT = 8 * GIB;
    private static final long S3_LARGEST_OBJECT = 5L * 1024 * GIB;

    @TempDir
    Path tmp;

    static Stream<Arguments> sizes() {
        List<Arguments> cases = new ArrayList<>();
        for (long size : new long[] {0, 1, 511, 512, 513, OCTAL_LIMIT - 1, OCTAL_LIMIT, OCTAL_LIMIT + 1, 64 * GIB,
                S3_LARGEST_OBJECT}) {
            cases.add(Arguments.of(size, TarArchiveOutputStream.BIGNUMBER_POSIX, "PAX size record"));
            cases.add(Arguments.of(size, TarArchiveOutputStream.BIGNUMBER_STAR, "base-256 field"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} bytes, {2}")
    @MethodSource("sizes")
    void anEntryOfAnySizeIsReadAtTheSizeItsHeaderGives(long size, int bigNumberMode, String form) throws IOException {
        byte[] header = header("parts/minio-server1.tar", size, bigNumberMode, TarArchiveOutputStream.LONGFILE_POSIX);

        assertThat(check(new Archive().bytes(header).data(size).endMarker())).isNull();
        if (size >= 512) {
            // one block short: the entry's data takes a zero block of the end marker
            assertThat(check(new Archive().bytes(header).data(size - 512).endMarker())).as("one block short")
                    .contains("end-of-archive marker is incomplete");
        }
    }

    @Test
    void gnuTarsOwnHeadersForAFileJustOver8GiBAreReadBothWays() throws Exception {
        Path big = tmp.resolve("big.bin");
        long size = OCTAL_LIMIT + 1;
        try (var file = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.wrap(new byte[] {1}), size - 1);
        }
        for (String format : List.of("gnu", "posix", "oldgnu")) {
            // the first blocks GNU tar writes: its header(s), then the start of the data
            byte[] start = shell("cd '" + tmp + "' && tar --format=" + format + " -cf - big.bin | head -c 8192");
            int headerEnd = headerLength(start);
            byte[] header = Arrays.copyOf(start, headerEnd);
            assertThat(check(new Archive().bytes(header).data(size).endMarker())).as(format).isNull();
            assertThat(check(new Archive().bytes(header).data(size - 512).endMarker())).as(format)
                    .contains("end-of-archive marker is incomplete");
        }
    }

    @Test
    void longNamesEitherWayNameTheEntryInAProblem() throws IOException {
        String longName = "wire-server/" + "very-long-directory-name/".repeat(10) + "values.yaml";
        for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
            byte[] header = header(longName, 10, TarArchiveOutputStream.BIGNUMBER_POSIX, mode);
            assertThat(check(new Archive().bytes(header).data(10).endMarker())).isNull();
            byte[] damaged = header.clone();
            // the entry's own header is the last block: break its checksum
            damaged[damaged.length - 512 + 148] = '9';
            assertThat(check(new Archive().bytes(damaged).data(10).endMarker()))
                    .contains(longName).contains("wrong checksum");
        }
    }

    static Stream<Arguments> damagedPaxRecords() {
        return Stream.of(
                Arguments.of("8 size=1\n", "does not end where its length says"),
                Arguments.of("11 size-10\n", "has no keyword=value"),
                Arguments.of("x2 size=10\n", "does not start with its length"),
                Arguments.of("12 size=1a2\n", "is no size"),
                Arguments.of("12 size=-12\n", "is no size"),
                Arguments.of("99999999999 size=1\n", "claims more bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedPaxRecords")
    void aDamagedPaxRecordFailsTheFrame(String record, String why) throws IOException {
        byte[] pax = paxHeader(record);
        byte[] entry = header("part.tar", 10, TarArchiveOutputStream.BIGNUMBER_POSIX, TarArchiveOutputStream.LONGFILE_POSIX);
        assertThat(check(new Archive().bytes(pax).bytes(entry).data(10).endMarker()))
                .contains("PAX extended header at byte 0 is damaged").contains(why);
    }

    @Test
    void aPaxSizeRecordDecidesOverTheUstarField() throws IOException {
        byte[] pax = paxHeader("13 size=1024\n");
        byte[] entry = header("part.tar", 10, TarArchiveOutputStream.BIGNUMBER_POSIX, TarArchiveOutputStream.LONGFILE_POSIX);
        assertThat(check(new Archive().bytes(pax).bytes(entry).data(1024).endMarker())).isNull();
        assertThat(check(new Archive().bytes(pax).bytes(entry).data(10).endMarker())).isNotNull();
        assertThat(check(new Archive().bytes(pax).bytes(entry).data(10).bytes(new byte[2048]).endMarker())).isNull();
    }

    @Test
    void aNegativeBase256SizeAndAPaxHeaderWithoutItsEntryFail() throws IOException {
        byte[] entry = header("part.tar", 10, TarArchiveOutputStream.BIGNUMBER_POSIX, TarArchiveOutputStream.LONGFILE_POSIX);
        byte[] negative = entry.clone();
        Arrays.fill(negative, 124, 136, (byte) 0xff);
        rewriteChecksum(negative, 0);
        assertThat(check(new Archive().bytes(negative).data(10).endMarker())).contains("negative size");

        assertThat(check(new Archive().bytes(entry).data(10).bytes(paxHeader("13 size=1024\n")).endMarker()))
                .contains("before the entry it describes");
    }

    // --- building archives -------------------------------------------------------------------------------------

    /** The header block(s) commons-compress writes for an entry, without its data. */
    private static byte[] header(String name, long size, int bigNumberMode, int longFileMode) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 512);
        tar.setBigNumberMode(bigNumberMode);
        tar.setLongFileMode(longFileMode);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        tar.flush();
        return out.toByteArray();
    }

    /** A PAX 'x' header holding exactly {@code records}. */
    private static byte[] paxHeader(String records) {
        byte[] data = records.getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[512 + (data.length + 511) / 512 * 512];
        byte[] name = "PaxHeaders/part.tar".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, block, 0, name.length);
        putOctal(block, 100, 8, 0644);
        putOctal(block, 124, 12, data.length);
        block[156] = 'x';
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 8);
        rewriteChecksum(block, 0);
        System.arraycopy(data, 0, block, 512, data.length);
        return block;
    }

    private static void putOctal(byte[] block, int offset, int length, long value) {
        String digits = String.format("%0" + (length - 1) + "o", value);
        System.arraycopy(digits.getBytes(StandardCharsets.US_ASCII), 0, block, offset, length - 1);
        block[offset + length - 1] = 0;
    }

    private static void rewriteChecksum(byte[] bytes, int offset) {
        Arrays.fill(bytes, offset + 148, offset + 156, (byte) ' ');
        long sum = 0;
        for (int i = offset; i < offset + 512; i++) {
            sum += bytes[i] & 0xff;
        }
        String digits = String.format("%06o", sum);
        System.arraycopy(digits.getBytes(StandardCharsets.US_ASCII), 0, bytes, offset + 148, 6);
        bytes[offset + 154] = 0;
    }

    /** How many bytes of GNU tar's output are headers: up to and including the first regular-file header. */
    private static int headerLength(byte[] start) {
        for (int at = 0; at + 512 <= start.length; at += 512) {
            byte type = start[at + 156];
            if (type == '0' || type == 0) {
                return at + 512;
            }
            // a PAX header or long name: its data blocks follow
            String size = new String(start, at + 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim();
            at += (Long.parseLong(size, 8) + 511) / 512 * 512;
        }
        throw new AssertionError("no file header in GNU tar's output");
    }

    private String check(Archive archive) throws IOException {
        TarStructureCheck check = new TarStructureCheck(archive.stream());
        check.transferTo(OutputStream.nullOutputStream());
        return check.problemAtEnd();
    }

    private static byte[] shell(String script) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as(new String(p.getErrorStream().readAllBytes())).isZero();
        return out;
    }

    /** Header bytes and runs of entry data that are counted but never materialized (the check reads no data bytes). */
    private static final class Archive {
        private final List<Object> segments = new ArrayList<>();

        Archive bytes(byte[] bytes) {
            segments.add(bytes);
            return this;
        }

        /** {@code size} data bytes and the padding to a whole block. */
        Archive data(long size) {
            segments.add((size + 511) / 512 * 512);
            return this;
        }

        Archive endMarker() {
            return bytes(new byte[1024]);
        }

        InputStream stream() {
            return new InputStream() {
                private int segment;
                private long offset;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int at, int length) {
                    while (segment < segments.size()) {
                        Object current = segments.get(segment);
                        long total = current instanceof byte[] b ? b.length : (Long) current;
                        if (offset < total) {
                            int n = (int) Math.min(length, total - offset);
                            if (current instanceof byte[] b) {
                                System.arraycopy(b, (int) offset, buffer, at, n);
                            }
                            offset += n;
                            return n;
                        }
                        segment++;
                        offset = 0;
                    }
                    return -1;
                }
            };
        }
    }
}
