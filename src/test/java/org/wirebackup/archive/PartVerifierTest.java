package org.wirebackup.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.TarEdit;

/** Parts made by the real tar, gzip and zstd, and broken the ways disks and transfers break them. */
class PartVerifierTest {

    @TempDir
    Path tmp;
    Path folder;

    @BeforeEach
    void folder() throws Exception {
        folder = Files.createDirectories(tmp.resolve("data/folder"));
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        Files.write(folder.resolve("a.bin"), data);
        Files.writeString(folder.resolve("b.txt"), "hello\n");
    }

    @Test
    void goodPartsOfEveryCompressionPassWithTheirEntriesCounted() throws Exception {
        for (String[] kind : new String[][] {{"gzip -6", "-z", ".tar.gz"}, {"zstd -3", "--zstd", ".tar.zst"}, {"none", "", ".tar"}}) {
            Path part = tar(kind[1], "part" + kind[2]);
            PartCheck check = PartVerifier.check(part, expected(part, "tar", kind[0]));
            assertThat(check.problem()).as(kind[0]).isNull();
            assertThat(check.entries()).isEqualTo(3);
        }
    }

    @Test
    void aPartWithAnEntryThatCouldEscapeTheTargetFailsNamingTheEntryAndSpecialFilesAreNamedInWarnings()
            throws Exception {
        Files.createDirectories(tmp.resolve("hostile"));
        String[][] cases = {
                // what GNU tar is asked to archive (in tmp/hostile), what the check must refuse, and what it must name
                {"symlink-out", "ln -s /etc wire-server/etc-link && tar -cf %s wire-server", null,
                        "wire-server/etc-link is a symbolic link to /etc, outside the part (kept as a link)"},
                {"symlink-up", "ln -s ../../outside wire-server/up && tar -cf %s wire-server", null,
                        "wire-server/up is a symbolic link to ../../outside, outside the part (kept as a link)"},
                {"through-link", "ln -s /etc wire-server/etc-link && tar -cf %s wire-server"
                        + " --transform=s,^wire-server/ok.txt$,wire-server/etc-link/cron.d/evil,",
                        "wire-server/etc-link/cron.d/evil (it lies below wire-server/etc-link, a symbolic link of the"
                        + " part", "wire-server/etc-link is a symbolic link to /etc, outside the part (kept as a link)"},
                {"absolute", "tar -cPf %s \"$PWD/wire-server/ok.txt\"", "(its name is absolute)", null},
                {"fifo", "mkfifo wire-server/pipe && tar -cf %s wire-server", null, "wire-server/pipe is a FIFO"},
                {"relative-link", "ln -s ok.txt wire-server/alias && tar -cf %s wire-server", null, null},
        };
        for (String[] c : cases) {
            Path dir = Files.createDirectories(tmp.resolve("hostile").resolve(c[0]));
            Files.createDirectories(dir.resolve("wire-server"));
            Files.writeString(dir.resolve("wire-server/ok.txt"), "fine\n");
            Path part = tmp.resolve(c[0] + ".tar");
            Process tar = new ProcessBuilder("sh", "-c", String.format(c[1], part)).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            assertThat(tar.waitFor()).as(c[0] + ": " + output).isZero();

            PartCheck check = PartVerifier.check(part, expected(part, "tar", "none"));

            if (c[2] == null) {
                assertThat(check.problem()).as(c[0]).isNull();
            } else {
                assertThat(check.problem()).as(c[0]).startsWith("holds an entry that could escape or harm the target: ")
                        .contains(c[2]);
            }
            if (c[3] == null) {
                assertThat(check.warnings()).as(c[0]).isEmpty();
            } else {
                assertThat(check.warnings()).as(c[0]).containsExactly(c[3]);
            }
        }
    }

    @Test
    void craftedEntriesThatGnuTarWouldNotWriteAreRefusedToo() throws Exception {
        Object[][] cases = {
                {entry("../evil", TarConstants.LF_NORMAL, null), "../evil (its name climbs out with ..)"},
                {entry("wire-server/../../evil", TarConstants.LF_NORMAL, null), "(its name climbs out with ..)"},
                {entry("wire-server/shadow", TarConstants.LF_LINK, "../etc/shadow"),
                        "wire-server/shadow (it is a hard link to ../etc/shadow, outside the part)"},
                {entry("wire-server/passwd", TarConstants.LF_LINK, "wire-server/etc/passwd"),
                        "wire-server/passwd (it is a hard link to wire-server/etc/passwd, outside the part)"},
        };
        for (Object[] c : cases) {
            TarArchiveEntry hostile = (TarArchiveEntry) c[0];
            Path part = tmp.resolve("crafted.tar");
            try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                    Files.newOutputStream(part))) {
                TarArchiveEntry ok = new TarArchiveEntry("wire-server/ok.txt");
                ok.setSize(5);
                out.putArchiveEntry(ok);
                out.write("fine\n".getBytes());
                out.closeArchiveEntry();
                out.putArchiveEntry(entry("wire-server/etc", TarConstants.LF_SYMLINK, "/etc"));
                out.closeArchiveEntry();
                out.putArchiveEntry(hostile);
                out.closeArchiveEntry();
            }

            PartCheck check = PartVerifier.check(part, expected(part, "tar", "none"));

            assertThat(check.problem()).as(hostile.getName()).startsWith("holds an entry that could escape or harm"
                    + " the target: ").contains((String) c[1]);
        }
    }

    @Test
    void deviceNodesAreNamedInWarningsAndTheTenthOnAreCounted() throws Exception {
        Path part = tmp.resolve("devices.tar");
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(part))) {
            for (int i = 0; i < 12; i++) {
                out.putArchiveEntry(entry("wire-server/dev" + i, i % 2 == 0 ? TarConstants.LF_BLK : TarConstants.LF_CHR,
                        null));
                out.closeArchiveEntry();
            }
        }

        PartCheck check = PartVerifier.check(part, expected(part, "tar", "none"));

        assertThat(check.problem()).isNull();
        assertThat(check.warnings()).hasSize(11).startsWith("wire-server/dev0 is a device node")
                .endsWith("and 2 more such entries");
    }

    private static TarArchiveEntry entry(String name, byte type, String linkName) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        if (linkName != null) {
            entry.setLinkName(linkName);
        }
        return entry;
    }

    @Test
    void aSymbolicLinkThatStaysInsideThePartIsFine() throws Exception {
        Files.createSymbolicLink(folder.resolve("link-to-b"), Path.of("b.txt"));
        Path part = tar("", "part.tar");

        assertThat(PartVerifier.check(part, expected(part, "tar", "none")).problem()).isNull();
    }

    @Test
    void aFlippedByteInsideTheCompressedStreamIsFound() throws Exception {
        Path part = tar("-z", "part.tar.gz");
        PartVerifier.Expected recorded = expected(part, "tar", "gzip -6");
        TarEdit.flipByte(part, Files.size(part) / 2);

        PartCheck check = PartVerifier.check(part, recorded);

        assertThat(check.ok()).isFalse();
        assertThat(check.problem()).matches("(is corrupt: .*|sha256 is [0-9a-f]{64}, expected [0-9a-f]{64})");
    }

    @Test
    void aFlippedByteIsFoundByItsChecksumEvenWhereTheFormatCannotTell() throws Exception {
        Path part = tar("", "part.tar");
        PartVerifier.Expected recorded = expected(part, "tar", "none");
        TarEdit.flipByte(part, 2048 + 100); // inside a.bin's data: still a well-formed tar

        assertThat(PartVerifier.check(part, recorded).problem()).startsWith("sha256 is ").contains("expected " + recorded.sha256());
    }

    @Test
    void aTruncatedPartIsFound() throws Exception {
        Path part = tar("-z", "part.tar.gz");
        PartVerifier.Expected recorded = expected(part, "tar", "gzip -6");
        byte[] all = Files.readAllBytes(part);
        Files.write(part, java.util.Arrays.copyOf(all, all.length - 500));

        PartCheck check = PartVerifier.check(part, recorded);

        assertThat(check.problem()).startsWith("is corrupt");
    }

    @Test
    void aTarWithNoEntriesIsNoBackup() throws Exception {
        Path empty = tmp.resolve("empty.tar.gz");
        run("tar -czf " + empty + " -T /dev/null");

        assertThat(PartVerifier.check(empty, expected(empty, "tar", "gzip -6")).problem()).isEqualTo("the tar holds no entries");
    }

    @Test
    void anEmptyFileAndAMissingFileAreNamed() throws Exception {
        Path empty = Files.createFile(tmp.resolve("nothing.tar"));
        assertThat(PartVerifier.check(empty, new PartVerifier.Expected("nothing.tar", "tar", "none", 0, "x", null)).problem())
                .isEqualTo("is empty");
        assertThat(PartVerifier.check(tmp.resolve("gone.tar"), new PartVerifier.Expected("gone.tar", "tar", "none", 1, "x", null))
                .problem()).startsWith("missing");
    }

    @Test
    void aStreamThatIsNotTheRecordedCompressionIsFound() throws Exception {
        Path part = tar("", "part.tar");
        assertThat(PartVerifier.check(part, expected(part, "tar", "gzip -9")).problem())
                .isEqualTo("is uncompressed but was recorded as a gzip stream");
    }

    @Test
    void aRawDumpIsDecodedWhenItIsCompressedAndNeedsNoEntries() throws Exception {
        Path dump = tmp.resolve("postgres.sql.gz");
        run("printf 'CREATE TABLE x();\\n' | gzip > " + dump);
        PartCheck check = PartVerifier.check(dump, expected(dump, "raw", "none"));
        assertThat(check.ok()).isTrue();
        assertThat(check.entries()).isNull();

        Path broken = tmp.resolve("broken.sql.gz");
        byte[] all = Files.readAllBytes(dump);
        Files.write(broken, java.util.Arrays.copyOf(all, all.length - 4));
        assertThat(PartVerifier.check(broken, expected(broken, "raw", "none")).problem()).startsWith("is corrupt");
    }

    private Path tar(String compressFlag, String name) throws Exception {
        Path part = tmp.resolve(name);
        run("tar " + compressFlag + " -cf " + part + " -C " + folder.getParent() + " folder");
        return part;
    }

    private static PartVerifier.Expected expected(Path part, String format, String compression) throws Exception {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(part)) {
            bytes = in.readAllBytes();
        }
        return new PartVerifier.Expected(part.getFileName().toString(), format, compression, bytes.length,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), null);
    }

    private static void run(String script) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(script + ": " + out).isZero();
    }
}
