package org.wirebackup.ssh;

/**
 * The remote shell's SHA-256 of a file, printed first on its line: OpenSSL's where the host has it (it uses the CPU's
 * SHA instructions, about three times as fast as coreutils' {@code sha256sum}), else {@code sha256sum}. The same digest
 * either way. The file is read through GNU dd's {@code status=progress} where the host's dd has it: its progress lines
 * on stderr are the command's progress, so hashing a copy of terabytes is not taken for a stall
 * ({@code backup.ssh.stall-timeout}).
 */
public final class RemoteSha256 {

    private RemoteSha256() {
    }

    /** A command that prints the SHA-256 of {@code quotedFile} (already shell-quoted) as its first word. */
    public static String of(String quotedFile) {
        return "{ if dd if=/dev/null of=/dev/null status=progress 2>/dev/null; then dd if=" + quotedFile
                + " bs=4M status=progress; else cat -- " + quotedFile + "; fi"
                + " | { if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r; else sha256sum; fi; }; }";
    }
}
