package org.wirebackup.ssh;

/**
 * The remote shell's SHA-256 of a file, printed first on its line: OpenSSL's where the host has it (it uses the CPU's
 * SHA instructions: 0.8 s per GiB here against 2.7 s for Debian's coreutils {@code sha256sum}, measured in issue 13),
 * else {@code sha256sum}. The same digest either way.
 */
public final class RemoteSha256 {

    private RemoteSha256() {
    }

    /** A command that prints the SHA-256 of {@code quotedFile} (already shell-quoted) as its first word. */
    public static String of(String quotedFile) {
        return "{ if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r; else sha256sum; fi; } < "
                + quotedFile;
    }
}
