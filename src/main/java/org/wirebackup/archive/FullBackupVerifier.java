package org.wirebackup.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.wirebackup.crypto.AgeDecryption;
import org.wirebackup.crypto.AgeIdentity;
import org.wirebackup.run.FullBackup;

/**
 * Checks a full backup offline, wherever the copy came from, in one streaming pass: the manifest is present and
 * well-formed, every part it lists is there, no other entry is, and each part has the manifest's size, SHA-256 and
 * entry count, with its compressed stream and tar intact.
 */
public final class FullBackupVerifier {

    private static final int MANIFEST_LIMIT = 16 * 1024 * 1024;

    private FullBackupVerifier() {
    }

    /**
     * The outcome: the manifest (when readable), a check per part, problems with the whole, the whole file's SHA-256,
     * and what the {@code .sha256} sidecar beside it said (null when there is none). {@code sealed}: the file is
     * encrypted and was read without an identity, so only its ciphertext (SHA-256, age header) was checked.
     */
    public record Report(Manifest manifest, List<PartCheck> parts, List<String> problems, String sha256,
                         String sidecar, boolean sealed) {
        public Report(Manifest manifest, List<PartCheck> parts, List<String> problems, String sha256, String sidecar) {
            this(manifest, parts, problems, sha256, sidecar, false);
        }

        public boolean ok() {
            return problems.isEmpty() && parts.stream().allMatch(PartCheck::ok);
        }
    }

    public static Report verify(Path fullBackup) {
        return verify(fullBackup, null, null);
    }

    /**
     * @param identity    decrypts an encrypted full backup ({@code .tar.age}) so that its contents are checked; null:
     *                    an encrypted one is checked as ciphertext only, against its {@code .sha256}
     * @param identityKey the option or setting that named the identity, for the error when it does not match
     */
    public static Report verify(Path fullBackup, AgeIdentity identity, String identityKey) {
        InputStream file;
        try {
            file = Files.newInputStream(fullBackup);
        } catch (java.nio.file.AccessDeniedException e) {
            return new Report(null, List.of(), List.of("cannot open " + fullBackup + ": permission denied"), null, null);
        } catch (IOException e) {
            return new Report(null, List.of(), List.of("cannot open " + fullBackup + ": " + e.getMessage()), null, null);
        }
        MessageDigest digest = PartVerifier.sha256();
        InputStream raw = new BufferedInputStream(new DigestInputStream(file, digest), 256 * 1024);
        boolean sealed = FullBackup.isEncrypted(fullBackup) && identity == null;
        Report content;
        List<String> problems = new ArrayList<>();
        if (sealed) {
            content = new Report(null, List.of(), List.of(), null, null, true);
            try (raw) {
                String header = new String(raw.readNBytes(AgeDecryption.MAGIC.length() + 1), StandardCharsets.US_ASCII);
                if (!header.equals(AgeDecryption.MAGIC + "\n")) {
                    problems.add(fullBackup.getFileName() + " is not an age file (it does not start with "
                            + AgeDecryption.MAGIC + ")");
                }
                raw.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                problems.add("reading " + fullBackup + " failed: " + e.getMessage());
            }
        } else {
            InputStream plain;
            try {
                plain = FullBackup.isEncrypted(fullBackup) ? new BufferedInputStream(AgeDecryption.open(raw, identity,
                        identityKey, fullBackup.getFileName().toString()), 256 * 1024) : raw;
            } catch (IOException e) {
                closeQuietly(raw);
                return new Report(null, List.of(), List.of("reading " + fullBackup + " failed: " + e.getMessage()),
                        null, null);
            } catch (RuntimeException e) {
                closeQuietly(raw);
                throw e;
            }
            TarStructureCheck frame = new TarStructureCheck(plain);
            content = verifyContent(frame);
            problems.addAll(content.problems());
            try (frame) {
                frame.transferTo(java.io.OutputStream.nullOutputStream());
                if (content.problems().isEmpty()) {
                    String framing = frame.problemAtEnd();
                    if (framing != null) {
                        problems.add(framing);
                    }
                }
            } catch (IOException e) {
                problems.add("reading " + fullBackup + " failed: " + e.getMessage());
            }
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        String sidecar = null;
        Path sidecarFile = ChecksumSidecar.of(fullBackup);
        if (Files.isRegularFile(sidecarFile)) {
            String problem = ChecksumSidecar.problem(sidecarFile, fullBackup.getFileName().toString(), sha256);
            if (problem == null) {
                sidecar = "the whole file matches " + sidecarFile.getFileName();
            } else {
                problems.add(problem);
                sidecar = problem;
            }
        } else if (sealed) {
            problems.add("encrypted, and no " + sidecarFile.getFileName() + " beside it: without an identity"
                    + " (--identity) nothing proves this copy whole");
        }
        return new Report(content.manifest(), content.parts(), problems, sha256, sidecar, sealed);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the error that led here is the one reported
        }
    }

    private static Report verifyContent(InputStream file) {
        List<PartCheck> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Manifest manifest = null;
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(org.apache.commons.io.input.CloseShieldInputStream
                    .wrap(file));
            TarArchiveEntry first = tar.getNextEntry();
            if (first == null || !first.getName().equals(Manifest.ENTRY)) {
                problems.add("manifest.json is not the first entry" + (first == null ? " (the archive is empty)"
                        : " (found " + first.getName() + ")"));
                return new Report(null, checks, problems, null, null);
            }
            try {
                manifest = Manifest.read(BoundedInputStream.builder().setInputStream(tar).setMaxCount(MANIFEST_LIMIT)
                        .setPropagateClose(false).get());
            } catch (IOException e) {
                problems.add(e.getMessage());
                return new Report(null, checks, problems, null, null);
            }
            Map<String, Manifest.Part> expected = new LinkedHashMap<>();
            manifest.parts().forEach(p -> expected.put(p.name(), p));
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Manifest.Part part = expected.remove(entry.getName());
                if (part == null) {
                    problems.add("unexpected entry " + entry.getName() + " (not in the manifest, or listed twice)");
                    continue;
                }
                PartCheck check = PartVerifier.check(tar, new PartVerifier.Expected(part.name(), part.format(),
                        part.compression(), part.size(), part.sha256(),
                        PartVerifier.rootOf(part.kind(), part.remotePath())));
                if (check.ok() && part.entries() != null && !part.entries().equals(check.entries())) {
                    check = check.failing("holds " + check.entries() + " tar entries, the manifest says " + part.entries());
                }
                checks.add(check);
            }
            for (Manifest.Part missing : expected.values()) {
                checks.add(new PartCheck(missing.name(), 0, null, null, "missing from the full backup"));
            }
        } catch (IOException | RuntimeException e) {
            problems.add(e instanceof org.wirebackup.crypto.AlteredCiphertextException ? e.getMessage()
                    : "the full backup is not a readable tar: " + e.getMessage());
        }
        return new Report(manifest, checks, problems, null, null);
    }
}
