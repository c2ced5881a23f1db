package org.wirebackup.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.TarEdit;
import org.wirebackup.testing.TestInstallation;

/**
 * Live data is not a failure, unreadable data is: real GNU tar reading a MinIO file that is being written to at the
 * same time exits 1 ("file changed as we read it"). A warning for MinIO by default, naming the file; a failure where
 * the setting says so.
 */
class LiveDataTest {

    @TempDir
    Path tmp;

    @Test
    void aMinioFileThatChangesWhileReadIsAWarningNamingIt() throws Exception {
        try (TestInstallation wire = installation(); Writer writer = new Writer(busyFile(wire))) {
            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).as(result.out()).isZero();
            JsonNode minio = minio(wire.onlyRunRecord());
            assertThat(minio.get("status").asText()).isEqualTo("ok");
            assertThat(minio.get("warnings").toString()).contains("live data", "busy.bin (changed)");
            Path fullBackup = Path.of(wire.onlyRunRecord().get("fullBackup").get("file").asText());
            assertThat(new String(TarEdit.read(fullBackup).get("manifest.json"))).contains("busy.bin (changed)");
        }
    }

    @Test
    void whereTheSettingSaysFailAChangedFileFailsTheSource() throws Exception {
        try (TestInstallation wire = installation(); Writer writer = new Writer(busyFile(wire))) {
            wire.set("backup.minio.changed-files", "fail");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            JsonNode minio = minio(wire.onlyRunRecord());
            assertThat(minio.get("status").asText()).isEqualTo("failed");
            assertThat(minio.get("stderrTail").asText()).contains("busy.bin: file changed as we read it");
        }
    }

    private TestInstallation installation() throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
        Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
        Path minio = Files.createDirectories(wire.root.resolve("minio/var/lib/minio-server1/bucket"));
        Files.write(minio.resolve("busy.bin"), new byte[8 * 1024 * 1024]);
        return wire.set("backup.minio.hosts", wire.ssh.hostSpec()).set("backup.minio.dirs", minio.getParent().toString());
    }

    private static Path busyFile(TestInstallation wire) {
        return wire.root.resolve("minio/var/lib/minio-server1/bucket/busy.bin");
    }

    private static JsonNode minio(JsonNode record) {
        for (JsonNode source : record.get("sources")) {
            if (source.get("kind").asText().equals("minio")) {
                return source;
            }
        }
        throw new AssertionError("no minio source in " + record);
    }

    /** Appends to the file every millisecond until closed, as an upload in progress would. */
    private static final class Writer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Writer(Path file) {
            thread = new Thread(() -> {
                byte[] chunk = new byte[4096];
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                    while (running.get()) {
                        out.write(chunk);
                        out.flush();
                        Thread.sleep(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "busy-minio-writer");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
