package org.wirebackup.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every path of a directory tree with its type, mode, size and SHA-256 (a link with its target): two trees with equal
 * listings are the same for a restore. Read streaming, one file at a time.
 *
 * @param lines one per path, sorted
 * @param bytes the regular files' total size
 */
public record TreeListing(List<String> lines, long bytes) {

    public static TreeListing of(Path root) throws IOException {
        List<String> lines = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted().toList()) {
                String name = root.relativize(path).toString();
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                if (Files.isSymbolicLink(path)) {
                    lines.add("l " + name + " -> " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    lines.add("d " + mode + " " + name);
                } else {
                    long size = Files.size(path);
                    bytes += size;
                    lines.add("f " + mode + " " + size + " " + sha256(path) + " " + name);
                }
            }
        }
        return new TreeListing(List.copyOf(lines), bytes);
    }

    public long files() {
        return lines.stream().filter(l -> l.startsWith("f ")).count();
    }

    /** The first line that differs, or null when the trees are the same. */
    public String firstDifference(TreeListing other) {
        for (int i = 0; i < Math.max(lines.size(), other.lines.size()); i++) {
            String mine = i < lines.size() ? lines.get(i) : "(nothing)";
            String theirs = i < other.lines.size() ? other.lines.get(i) : "(nothing)";
            if (!mine.equals(theirs)) {
                return mine + "  vs  " + theirs;
            }
        }
        return null;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
