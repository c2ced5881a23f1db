package org.wirebackup.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (Debian's {@code postgresql} package, which {@code .ci/run} installs) in a directory of the test:
 * {@code initdb} with a password, {@code postgres} on a free loopback port, stopped and started again on the same
 * data by the test. PostgreSQL refuses to run as root: as root it runs as {@code nobody} through {@code setpriv}.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "wirebackup";
    public static final String PASSWORD = "cluster-secret-1";

    private final Path dir;
    private final Path bin;
    private final Path data;
    private final Path log;
    private final int port;
    private Process server;

    private PostgresServer(Path dir, Path bin, Path data, Path log, int port) {
        this.dir = dir;
        this.bin = bin;
        this.data = data;
        this.log = log;
        this.port = port;
    }

    /** A new server in a directory of its own under the system's temp dir (a test's own is closed to nobody). */
    public static PostgresServer start() throws Exception {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("wire-backup-postgres");
        Path data = dir.resolve("data");
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, PASSWORD + "\n");
        if (asRoot()) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("nobody"));
            Files.setOwner(pwfile, users.lookupPrincipalByName("nobody"));
        }
        exec(dir, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "scram-sha-256",
                "--pwfile=" + pwfile, "-E", "UTF8", "--no-sync");
        PostgresServer server = new PostgresServer(dir, bin, data, dir.resolve("postgres.log"), freePort());
        server.startServer();
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the server (again, on the same data) and waits until it takes connections. */
    public void startServer() throws Exception {
        List<String> command = wrapped(bin.resolve("postgres").toString(), "-D", data.toString(), "-p",
                String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "fsync=off", "-c", "max_connections=60");
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection ignored = connect()) {
                return;
            } catch (SQLException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not start: " + Files.readString(log), e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Stops the server at once (its clients' sessions end), by its process. */
    public void stop() throws IOException, InterruptedException {
        if (server != null && server.isAlive()) {
            // SIGINT: PostgreSQL's fast shutdown, which ends its clients' sessions (SIGTERM would wait for them)
            new ProcessBuilder("kill", "-INT", String.valueOf(server.pid())).start().waitFor();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    @Override
    public void close() throws Exception {
        stop();
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }

    private static Path binaries() throws IOException {
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                Path newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                        .max(Path::compareTo).orElse(null);
                if (newest != null) {
                    return newest;
                }
            }
        }
        throw new IllegalStateException("PostgreSQL's binaries are missing (/usr/lib/postgresql/*/bin): .ci/run"
                + " installs Debian's postgresql package; by hand: apt-get install postgresql");
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> wrapped(String... command) {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void exec(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(wrapped(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
