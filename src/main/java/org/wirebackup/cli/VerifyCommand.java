package org.wirebackup.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.wirebackup.archive.ChecksumSidecar;
import org.wirebackup.archive.FullBackupVerifier;
import org.wirebackup.archive.PartCheck;
import org.wirebackup.crypto.AgeIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a full backup offline, wherever the copy came from (this host, an SCP host, S3):",
                "manifest present and well-formed, every part present, sizes and SHA-256 as in the manifest, each",
                "part's compression and tar intact. One line per part.",
                "Exit status: 0 all good, 1 something is wrong, 2 bad usage (no such file)."})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "A full-backup-<run id>.tar, or .tar.age (encrypted)")
    Path file;

    @Option(names = "--identity", paramLabel = "FILE", description = {"An age identity file (mode 0600) that"
            + " decrypts an encrypted full backup, so that every part in it is checked. Without it, an encrypted one",
            "is checked as ciphertext: its SHA-256 against its .sha256, and its age header."})
    Path identity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(file)) {
            spec.commandLine().getErr().println("wire-backup: verify: " + file + " is not a file");
            return WireBackupCli.USAGE;
        }
        FullBackupVerifier.Report report = FullBackupVerifier.verify(file,
                identity == null ? null : AgeIdentity.load("--identity", identity), "--identity");
        print(out, file, report);
        return report.ok() ? WireBackupCli.OK : WireBackupCli.FAILED;
    }

    static void print(PrintWriter out, Path file, FullBackupVerifier.Report report) {
        if (report.manifest() != null) {
            out.printf("%s: run %s, %d parts in the manifest%n", file, report.manifest().runId(),
                    report.manifest().parts().size());
        }
        for (PartCheck part : report.parts()) {
            if (part.ok()) {
                out.printf("OK    %s  %d bytes  sha256 %s%s%n", part.name(), part.bytes(), part.sha256(),
                        part.entries() == null ? "" : "  " + part.entries() + " tar entries");
                part.warnings().forEach(w -> out.printf("note  %s  %s%n", part.name(), w));
            } else {
                out.printf("FAIL  %s  %s%n", part.name(), part.problem());
            }
        }
        for (String problem : report.problems()) {
            out.printf("FAIL  %s%n", problem);
        }
        if (report.sealed()) {
            out.printf("note  encrypted (age): its parts were not checked; --identity FILE decrypts and checks them%n");
        }
        if (report.sidecar() != null && report.ok()) {
            out.printf("OK    %s (sha256 %s)%n", report.sidecar(), report.sha256());
        } else if (report.sidecar() == null && report.sha256() != null) {
            out.printf("note  no %s beside it: the whole file's sha256 is %s%n",
                    file.getFileName() + ChecksumSidecar.SUFFIX, report.sha256());
        }
        out.println(!report.ok() ? "NOT VERIFIED: " + file : report.sealed() ? "verified: " + file + " is whole as"
                + " its .sha256 says (encrypted: its parts are checked with --identity)" : "verified: " + file
                + " is a good full backup");
        out.flush();
    }
}
