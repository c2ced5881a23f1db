package org.wirebackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged jar ({@code target/wire-backup.jar}) in its own JVM, as an operator or a container would. */
public final class JarProcess {

    public static final Path JAR = Path.of("target/wire-backup.jar").toAbsolutePath();

    private JarProcess() {
    }

    public record Result(int exitCode, String output) {
    }

    /** A started wire-backup process, its output going to {@code log}. */
    public record Started(Process process, Path log) {
    }

    public static Result run(List<String> jvmOptions, Map<String, String> env, Path workDir, long timeoutSeconds,
                             String... args) throws IOException, InterruptedException {
        return await(start(List.of(), jvmOptions, env, workDir, args), timeoutSeconds);
    }

    private static Result await(Started started, long timeoutSeconds) throws IOException, InterruptedException {
        if (!started.process().waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            started.process().destroyForcibly();
            throw new AssertionError("wire-backup did not end within " + timeoutSeconds + " s:\n"
                    + Files.readString(started.log()));
        }
        return new Result(started.process().exitValue(), Files.readString(started.log()));
    }

    public static Started start(List<String> jvmOptions, Map<String, String> env, Path workDir, String... args)
            throws IOException {
        return start(List.of(), jvmOptions, env, workDir, args);
    }

    /** Runs the jar under this umask (e.g. {@code 000}), as a careless service unit or shell would. */
    public static Result runUnderUmask(String umask, Map<String, String> env, Path workDir, long timeoutSeconds,
                                       String... args) throws IOException, InterruptedException {
        return runWrapped(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"), env, workDir,
                timeoutSeconds, args);
    }

    /** Runs the jar's java command behind {@code wrapper} (e.g. setpriv with fewer capabilities). */
    public static Result runWrapped(List<String> wrapper, Map<String, String> env, Path workDir, long timeoutSeconds,
                                    String... args) throws IOException, InterruptedException {
        return await(start(wrapper, List.of(), env, workDir, args), timeoutSeconds);
    }

    private static Started start(List<String> wrapper, List<String> jvmOptions, Map<String, String> env, Path workDir,
                                 String... args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after `mvn package`");
        }
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "jar-output", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new Started(builder.start(), log);
    }

    /** Waits until a capture of {@code process} is writing: a {@code .partial} under {@code runs}, for a second. */
    public static void awaitWrittenPartial(Path runs, Started process) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.process().isAlive()) {
                throw new AssertionError("wire-backup ended early:\n" + Files.readString(process.log()));
            }
            if (Files.isDirectory(runs)) {
                try (java.util.stream.Stream<Path> files = Files.walk(runs)) {
                    if (files.anyMatch(f -> f.toString().endsWith(".partial"))) {
                        Thread.sleep(1000);
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no capture under way after 60 s:\n" + Files.readString(process.log()));
    }
}
