package org.wirebackup.source;

/** How a source's archive is compressed on the remote host before it crosses the network. */
public record Compression(Kind kind, int level) {

    public enum Kind { GZIP, NONE }

    public static Compression gzip(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("gzip level must be 1-9, was " + level);
        }
        return new Compression(Kind.GZIP, level);
    }

    public static Compression none() {
        return new Compression(Kind.NONE, 0);
    }

    /** The remote filter that compresses stdin to stdout, or null when nothing compresses. */
    String filter() {
        return kind == Kind.GZIP ? "gzip -" + level : null;
    }

    /** What the archive's file name ends with. */
    public String extension() {
        return kind == Kind.GZIP ? ".tar.gz" : ".tar";
    }

    @Override
    public String toString() {
        return kind == Kind.GZIP ? "gzip -" + level : "none";
    }
}
