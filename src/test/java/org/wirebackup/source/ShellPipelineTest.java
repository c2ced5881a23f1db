package org.wirebackup.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote scripts, run by this machine's /bin/sh: the producer's and the compressor's statuses both count. */
class ShellPipelineTest {

    @TempDir
    Path tmp;

    record Ran(int exit, String stdout, String stderr) {
    }

    @Test
    void producerStatusSurvivesTheCompressor() throws Exception {
        Compression gzip = Compression.of(Compression.Kind.GZIP, 1);
        assertThat(sh(ShellPipeline.compressed("printf data", "the command", gzip)).exit()).isZero();

        Ran failed = sh(ShellPipeline.compressed("printf partial; exit 7", "the command", gzip));
        assertThat(failed.exit()).isEqualTo(3);
        assertThat(failed.stderr()).contains("wire-backup: the command failed with exit status 7");

        Ran uncompressed = sh(ShellPipeline.compressed("printf partial; exit 5", "the command", Compression.none()));
        assertThat(uncompressed.exit()).isEqualTo(5);
    }

    @Test
    void compressorFailureFailsTheScript() throws Exception {
        Compression zstd = Compression.of(Compression.Kind.ZSTD, 3);
        String script = ShellPipeline.compressed("printf data", "the command", zstd).replace("zstd -3", "false");
        Ran failed = sh(script);
        assertThat(failed.exit()).isEqualTo(4);
        assertThat(failed.stderr()).contains("failed with exit status 1");
    }

    @Test
    void tarOfAMissingEntryFails() throws Exception {
        Ran failed = sh(ShellPipeline.tar(tmp.toString(), List.of("no-such-dir"), Compression.of(Compression.Kind.GZIP, 1),
                ChangedFiles.FAIL));
        assertThat(failed.exit()).isEqualTo(3);
        assertThat(failed.stderr()).contains("no-such-dir", "wire-backup: tar failed with exit status 2");
    }

    private Ran sh(String script) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile()).start();
        int exit = p.waitFor();
        return new Ran(exit, java.nio.file.Files.readString(tmp.resolve("out"), java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.file.Files.readString(tmp.resolve("err")));
    }
}
