package org.wirebackup.source;

import java.util.Locale;

/** How a source's stream is compressed on the remote host before it crosses the network. */
public record Compression(Kind kind, int level) {

    public enum Kind { GZIP, ZSTD, NONE }

    public Compression {
        switch (kind) {
            case GZIP -> check(level, 1, 9);
            case ZSTD -> check(level, 1, 19);
            case NONE -> level = 0;
        }
    }

    public static Compression of(Kind kind, int level) {
        return new Compression(kind, level);
    }

    public static Compression none() {
        return new Compression(Kind.NONE, 0);
    }

    /** The highest level this kind takes (its lowest is 1). */
    public static int maxLevel(Kind kind) {
        return kind == Kind.ZSTD ? 19 : 9;
    }

    /** The remote filter that compresses stdin to stdout, or null when nothing compresses. */
    String filter() {
        return switch (kind) {
            case GZIP -> "gzip -" + level;
            case ZSTD -> "zstd -" + level + " -q -c -T0";
            case NONE -> null;
        };
    }

    /** The program the remote host needs, or null. */
    String tool() {
        return kind == Kind.NONE ? null : kind.name().toLowerCase(Locale.ROOT);
    }

    /** What the file's name ends with after its format's suffix. */
    public String extension() {
        return switch (kind) {
            case GZIP -> ".gz";
            case ZSTD -> ".zst";
            case NONE -> "";
        };
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : tool() + " -" + level;
    }

    private static void check(int level, int min, int max) {
        if (level < min || level > max) {
            throw new IllegalArgumentException("level must be " + min + "-" + max + ", was " + level);
        }
    }
}
