package org.wirebackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.JarProcess;
import org.wirebackup.testing.TestInstallation;

/**
 * The streaming proof: the packaged jar, in a JVM limited to -Xmx256m, captures a wire-server folder whose archive is
 * over 2.5 GB with exactly the bytes and the SHA-256 that tar produces for that folder; the same JVM verifies it,
 * writes the full backup, reads that back, and copies it to an SSH host and to S3 (S3Proxy), both checked.
 */
class StreamingCaptureIT {

    private static final long PAYLOAD_BYTES = 2_700_000_000L;
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void capturesMoreThan2point5GbAtXmx256m(boolean encrypted) throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp);
             org.wirebackup.testing.S3Server s3 = org.wirebackup.testing.S3Server.start(tmp.resolve("s3"), "wire-backups")) {
            Path payload = wire.wireServerFolder.resolve("large-payload.bin");
            shell("head -c " + PAYLOAD_BYTES + " /dev/urandom > '" + payload + "'");
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            String expectedSha256 = shell("cd '" + wire.wireServerFolder.getParent() + "' && tar -cf - -- wire-server | sha256sum")
                    .split(" ")[0];
            wire.set("backup.wire-server.compression", "none");
            // the host comes from the environment: every key can be overridden there
            wire.set("backup.wire-server.host", "");
            wire.set("backup.keep-parts", "false");
            Path identity = tmp.resolve("age-key.txt");
            if (encrypted) {
                org.wirebackup.testing.Cli.Result key = org.wirebackup.testing.Cli.run("keygen", identity.toString());
                wire.set("backup.encryption.recipients", key.out().strip());
            }
            // and copies of the full backup to an SSH host and to S3, from the same JVM
            Path copies = tmp.resolve("backup-host/srv/wire-backups");
            org.wirebackup.testing.DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.hostSpec(), copies, 0);
            org.wirebackup.testing.DestinationFiles.s3(wire.routesDir, "offsite", s3.endpoint(), Map.of());
            Path settings = wire.writeSettings();
            Path gcLog = tmp.resolve("gc.log");

            JarProcess.Result result = JarProcess.run(
                    List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog),
                    Map.of("BACKUP_WIRE_SERVER_HOST", wire.ssh.hostSpec(),
                            "AWS_ACCESS_KEY_ID", s3.identity(), "AWS_SECRET_ACCESS_KEY", s3.credential()),
                    tmp, 900, "backup", "--config", settings.toString());

            assertThat(result.exitCode()).as(result.output()).isZero();
            JsonNode record = wire.onlyRunRecord();
            JsonNode source = record.get("sources").get(0);
            long bytes = source.get("bytes").asLong();
            assertThat(bytes).isGreaterThan(2_500_000_000L).isGreaterThan(PAYLOAD_BYTES);
            assertThat(source.get("sha256").asText()).isEqualTo(expectedSha256);

            // the same JVM then verified the part, wrote the full backup and read it back
            assertThat(record.get("status").asText()).isEqualTo("ok");
            Path fullBackup = Path.of(record.get("fullBackup").get("file").asText());
            assertThat(Files.size(fullBackup)).isGreaterThan(bytes).isEqualTo(record.get("fullBackup").get("bytes").asLong());
            assertThat(fullBackup.getFileName().toString()).endsWith(encrypted ? ".tar.age" : ".tar");
            String fullSha = record.get("fullBackup").get("sha256").asText();
            assertThat(fullSha).isEqualTo(sha256(fullBackup));
            assertThat(record.get("destinations")).hasSize(2).allSatisfy(d -> assertThat(d.get("status").asText()).isEqualTo("ok"));
            Path scpCopy = copies.resolve(fullBackup.getFileName());
            assertThat(Files.size(scpCopy)).isEqualTo(Files.size(fullBackup));
            assertThat(sha256(scpCopy)).isEqualTo(fullSha);
            assertThat(s3.sha256("wire-backup/" + record.get("runId").asText() + "/" + fullBackup.getFileName())).isEqualTo(fullSha);
            for (JsonNode d : record.get("destinations")) {
                System.out.printf("STREAMING PROOF: copy to %s: %.1f s (%.0f MB/s)%n", d.get("name").asText(),
                        d.get("durationMillis").asLong() / 1000.0, Files.size(fullBackup) / 1e6 / (d.get("durationMillis").asLong() / 1000.0));
            }

            long peakMb = peakHeapMb(gcLog);
            long durationMs = source.get("durationMillis").asLong();
            System.out.printf("STREAMING PROOF (%s): %d bytes captured at -Xmx256m in %.1f s (%.0f MB/s), verified, "
                            + "aggregated into a %d-byte full backup and read back; whole run %.1f s; peak heap before"
                            + " a GC: %d MB%n", encrypted ? "encrypted" : "plain", bytes, durationMs / 1000.0, bytes / 1e6 / (durationMs / 1000.0),
                    Files.size(fullBackup), record.get("durationMillis").asLong() / 1000.0, peakMb);
            assertThat(peakMb).isLessThanOrEqualTo(256);

            // and the restore half, at -Xmx256m too: the multi-GB part streamed back into a fresh folder
            Files.delete(scpCopy);
            Path restored = tmp.resolve("new-host/home/wire/wire-server");
            Path restoreGcLog = tmp.resolve("restore-gc.log");
            List<String> restoreArgs = new java.util.ArrayList<>(List.of("restore", fullBackup.toString(), "--yes",
                    "--config", settings.toString()));
            if (encrypted) {
                restoreArgs.addAll(List.of("--identity", identity.toString()));
            }
            JarProcess.Result restore = JarProcess.run(List.of("-Xmx256m", "-Xlog:gc:file=" + restoreGcLog),
                    Map.of("BACKUP_WIRE_SERVER_HOST", wire.ssh.hostSpec(), "RESTORE_WIRE_SERVER_PATH", restored.toString()),
                    tmp, 900, restoreArgs.toArray(String[]::new));

            assertThat(restore.exitCode()).as(restore.output()).isZero();
            assertThat(Files.mismatch(restored.resolve("large-payload.bin"), payload)).isEqualTo(-1L);
            assertThat(restored.resolve("values.yaml")).hasContent("brig: {}\n");
            System.out.printf("STREAMING PROOF (" + (encrypted ? "encrypted" : "plain") + "): restore of the %d-byte full backup at -Xmx256m (verify, plan, restore):"
                    + " %s; peak heap before a GC: %d MB%n", Files.size(fullBackup), restore.output().lines()
                    .filter(l -> l.startsWith("wire-backup restore ")).findFirst().orElse("?"), peakHeapMb(restoreGcLog));
            assertThat(peakHeapMb(restoreGcLog)).isLessThanOrEqualTo(256);
        }
    }

    private static long peakHeapMb(Path gcLog) throws Exception {
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, Long.parseLong(m.group(1)));
            }
        }
        return peak;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String shell(String script) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(script + ": " + out).isZero();
        return out.trim();
    }
}
