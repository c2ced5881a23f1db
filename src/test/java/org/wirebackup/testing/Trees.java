package org.wirebackup.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Compares two directory trees: the same paths, the same bytes, the same permissions and links. */
public final class Trees {

    private Trees() {
    }

    /** A copy of the tree with modes, times and links ({@code cp -a}), to compare with later. */
    public static Path copy(Path from, Path to) throws IOException, InterruptedException {
        Files.createDirectories(to.getParent());
        Process cp = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).redirectErrorStream(true).start();
        assertThat(cp.waitFor()).isZero();
        return to;
    }

    public static void assertSame(Path expected, Path actual) throws IOException {
        assertThat(relativePaths(actual)).containsExactlyElementsOf(relativePaths(expected));
        for (String relative : relativePaths(expected)) {
            Path e = expected.resolve(relative);
            Path a = actual.resolve(relative);
            if (Files.isSymbolicLink(e)) {
                assertThat(Files.readSymbolicLink(a)).as(relative).isEqualTo(Files.readSymbolicLink(e));
            } else if (Files.isRegularFile(e)) {
                assertThat(Files.mismatch(e, a)).as("content of " + relative).isEqualTo(-1L);
                assertThat(Files.getPosixFilePermissions(a)).as("mode of " + relative)
                        .isEqualTo(Files.getPosixFilePermissions(e));
            }
        }
    }

    private static List<String> relativePaths(Path root) throws IOException {
        List<String> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(p -> paths.add(root.relativize(p).toString() + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "")));
        }
        paths.sort(null);
        return paths;
    }

    /** How many entries the system's tar lists in an archive ({@code tar -tf}). */
    public static long tarEntryCount(Path archive) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-tf", archive.toString()).redirectErrorStream(true).start();
        long count = new String(tar.getInputStream().readAllBytes()).lines().count();
        assertThat(tar.waitFor()).as("tar -tf " + archive).isZero();
        return count;
    }

    /** Extracts an archive with the system's tar, as an operator would. */
    public static Path extract(Path archive, Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        Process tar = new ProcessBuilder("tar", "-xf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor()).as("tar -xf: " + output).isZero();
        return into;
    }
}
