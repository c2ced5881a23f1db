package org.wirebackup.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Damages copies of small full backups the ways the tests need: an entry changed, dropped or found by offset. */
public final class TarEdit {

    private TarEdit() {
    }

    /** Entry names and contents, in order (test archives are small). */
    public static Map<String, byte[]> read(Path tar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                entries.put(e.getName(), t.readAllBytes());
            }
        }
        return entries;
    }

    /** Writes a copy whose entries are {@code edit(name, content)}; null drops the entry. */
    public static Path copy(Path tar, Path copy, BiFunction<String, byte[], byte[]> edit) throws IOException {
        Map<String, byte[]> entries = read(tar);
        try (OutputStream out = Files.newOutputStream(copy); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                byte[] content = edit.apply(entry.getKey(), entry.getValue());
                if (content == null) {
                    continue;
                }
                TarArchiveEntry e = new TarArchiveEntry(entry.getKey());
                e.setSize(content.length);
                t.putArchiveEntry(e);
                t.write(content);
                t.closeArchiveEntry();
            }
        }
        return copy;
    }

    /** Where an entry's data starts in the tar file. */
    public static long dataOffset(Path tar, String name) throws IOException {
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return e.getDataOffset();
                }
            }
        }
        throw new IllegalArgumentException(name + " is not in " + tar);
    }

    /** Flips one byte of a file in place, as a failing disk would. */
    public static void flipByte(Path file, long offset) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
            channel.write(one, offset);
        }
    }

    public static byte[] replace(byte[] content, String from, String to) {
        String text = new String(content, java.nio.charset.StandardCharsets.UTF_8);
        if (!text.contains(from)) {
            throw new IllegalArgumentException("'" + from + "' not found");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.replace(from, to).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The same archive, every entry preceded by a PAX extended header ({@code x}), written in blocks of 512. */
    public static void rewriteWithPaxHeaders(Path tar, Path copy) throws IOException {
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar));
             var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(copy),
                     512)) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                var rewritten = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(entry.getName());
                rewritten.setSize(entry.getSize());
                rewritten.addPaxHeader("comment", "rewritten for a test");
                out.putArchiveEntry(rewritten);
                in.transferTo(out);
                out.closeArchiveEntry();
            }
            out.finish();
        }
    }

    /** Changes the checksum field of the first PAX {@code x} header block, leaving everything else as it is. */
    public static void breakChecksumOfFirstPaxHeader(Path tar) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(tar, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(512);
            for (long offset = 0; offset < channel.size(); offset += 512) {
                block.clear();
                channel.read(block, offset);
                if (block.get(156) == 'x') {
                    byte digit = block.get(150);
                    channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (digit == '1' ? '2' : '1')}), offset + 150);
                    return;
                }
            }
        }
        throw new IllegalStateException("no PAX header in " + tar);
    }
}
