package org.wirebackup.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Cassandra 5.0.4 (org.apache.cassandra:cassandra-all from Maven Central) in its own JDK 17
 * process with its own classpath, for the integration tests; and {@code bin/nodetool} and {@code bin/sstableloader},
 * wrappers around the same jar's NodeTool and BulkLoader, as a Cassandra host has them. The classpath is written by the
 * build (pre-integration-test).
 */
public final class CassandraNode implements AutoCloseable {

    public static final Path CLASSPATH_FILE = Path.of("target/cassandra-it/classpath.txt").toAbsolutePath();

    /** From Cassandra's conf/jvm17-server.options (JPMS and Netty). */
    private static final List<String> JVM17_OPTIONS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.allocator.maxOrder=11");

    public final Path home;
    public final Path dataDir;
    public final Path configFile;
    public final Path nodetool;
    public final Path sstableloader;
    public final int cqlPort;
    public final int storagePort;
    public final int jmxPort;
    /** The loopback address it listens on (storage and CQL): 127.0.0.1, or 127.0.0.N for the N-th node of a cluster. */
    public final String address;
    public final String datacenter;
    private Process process;
    private final List<String> command;

    private CassandraNode(Path home, Path dataDir, Path configFile, int cqlPort, int storagePort, int jmxPort,
                          String address, String datacenter, List<String> command) {
        this.home = home;
        this.dataDir = dataDir;
        this.configFile = configFile;
        this.nodetool = home.resolve("bin/nodetool");
        this.sstableloader = home.resolve("bin/sstableloader");
        this.cqlPort = cqlPort;
        this.storagePort = storagePort;
        this.jmxPort = jmxPort;
        this.address = address;
        this.datacenter = datacenter;
        this.command = command;
    }

    public static CassandraNode start(Path home) throws Exception {
        return start(home, null);
    }

    /** @param datacenter its datacenter's name (GossipingPropertyFileSnitch), or null for SimpleSnitch's datacenter1 */
    public static CassandraNode start(Path home, String datacenter) throws Exception {
        CassandraNode node = create(home, "127.0.0.1", freePort(), freePort(), List.of(), datacenter);
        node.launch();
        node.awaitCql(120);
        return node;
    }

    /**
     * A cluster of {@code size} nodes on 127.0.0.1, 127.0.0.2, ... (one CQL and one storage port for all, as on real
     * hosts; each its own JMX port and bin/nodetool), every one a seed so that none bootstraps; returns once every
     * node sees every node up.
     */
    public static List<CassandraNode> startCluster(Path dir, int size) throws Exception {
        int cqlPort = freePort();
        int storagePort = freePort();
        List<String> seeds = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            seeds.add("127.0.0." + i + ":" + storagePort);
        }
        List<CassandraNode> nodes = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            nodes.add(create(dir.resolve("node" + i), "127.0.0." + i, cqlPort, storagePort, seeds, null));
        }
        for (CassandraNode node : nodes) {
            node.launch();
        }
        for (CassandraNode node : nodes) {
            node.awaitCql(180);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (nodes.get(0).nodetool("status").lines().filter(l -> l.startsWith("UN ")).count() < size) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the nodes did not all come up:\n" + nodes.get(0).nodetool("status"));
            }
            Thread.sleep(1000);
        }
        return nodes;
    }

    private static CassandraNode create(Path home, String address, int cqlPort, int storagePort, List<String> seeds,
                                        String datacenter) throws Exception {
        if (!Files.isRegularFile(CLASSPATH_FILE)) {
            throw new IllegalStateException(CLASSPATH_FILE + " is missing: run the integration tests through "
                    + "`mvn verify`, which resolves Cassandra's own classpath first");
        }
        String classpath = Files.readString(CLASSPATH_FILE).trim();
        String java = java17();
        Files.createDirectories(home);
        Path dataDir = home.resolve("data");
        int jmxPort = freePort();
        Path rackdc = home.resolve("cassandra-rackdc.properties");
        Files.writeString(rackdc, "dc=" + (datacenter == null ? "datacenter1" : datacenter) + "\nrack=rack1\n");
        Path config = home.resolve("cassandra.yaml");
        Files.writeString(config, String.join("\n",
                "cluster_name: wire-backup-it",
                "num_tokens: 1",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "data_file_directories: [" + dataDir + "]",
                "commitlog_directory: " + home.resolve("commitlog"),
                "saved_caches_directory: " + home.resolve("saved_caches"),
                "hints_directory: " + home.resolve("hints"),
                "cdc_raw_directory: " + home.resolve("cdc_raw"),
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"" + (seeds.isEmpty() ? address + ":" + storagePort : String.join(",", seeds)) + "\"",
                "listen_address: " + address,
                "rpc_address: " + address,
                "storage_port: " + storagePort,
                "native_transport_port: " + cqlPort,
                "start_native_transport: true",
                "endpoint_snitch: " + (datacenter == null ? "SimpleSnitch" : "GossipingPropertyFileSnitch"),
                "auto_snapshot: true",
                "snapshot_before_compaction: false",
                ""));
        Path logback = home.resolve("logback.xml");
        Files.writeString(logback, "<configuration><appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\">"
                + "<file>" + home.resolve("system.log") + "</file><encoder><pattern>%d %-5level [%thread] %logger{20} - %msg%n"
                + "</pattern></encoder></appender><root level=\"INFO\"><appender-ref ref=\"F\"/></root></configuration>");

        // 256 MB holds the tests' few tables; a hundred need more (bench/cassandra-restore.sh sets it)
        String heap = System.getProperty("wire-backup.cassandra-heap", "256m");
        List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC"));
        command.addAll(JVM17_OPTIONS);
        command.addAll(List.of(
                "-Dcassandra.config=file://" + config,
                "-Dcassandra-rackdc.properties=file://" + rackdc,
                "-Dcassandra.jmx.local.port=" + jmxPort,
                "-Dcassandra.ring_delay_ms=1000",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra-foreground=yes",
                "-Dlogback.configurationFile=" + logback,
                "-Djava.net.preferIPv4Stack=true",
                "-cp", classpath,
                "org.apache.cassandra.service.CassandraDaemon"));
        CassandraNode node = new CassandraNode(home, dataDir, config, cqlPort, storagePort, jmxPort, address,
                datacenter == null ? "datacenter1" : datacenter, command);
        writeTool(node.nodetool, java, classpath, logback, "org.apache.cassandra.tools.NodeTool",
                "-h", "127.0.0.1", "-p", String.valueOf(jmxPort));
        writeTool(node.sstableloader, java, classpath, logback, "org.apache.cassandra.tools.BulkLoader");
        return node;
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("stdout.log").toFile())).start();
    }

    /** Stops the node as a crash would leave it: the rest of the cluster sees it down. */
    public void stop() throws Exception {
        close();
    }

    /** A shell wrapper, as Cassandra's bin/ scripts are: the tool's main class on Cassandra's classpath. */
    private static void writeTool(Path wrapper, String java, String classpath, Path logback, String mainClass,
                                  String... fixedArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m"));
        command.addAll(JVM17_OPTIONS);
        command.addAll(List.of("-Dlogback.configurationFile=" + logback, "-cp", classpath, mainClass));
        command.addAll(List.of(fixedArgs));
        Files.createDirectories(wrapper.getParent());
        Files.writeString(wrapper, "#!/bin/sh\n# " + wrapper.getFileName() + " of the test Cassandra (cassandra-all's "
                + mainClass.substring(mainClass.lastIndexOf('.') + 1) + ")\nexec "
                + String.join(" ", command.stream().map(a -> "'" + a + "'").toList()) + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void awaitCql(int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Cassandra exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket ignored = new Socket(address, cqlPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("Cassandra did not open its CQL port within " + seconds + " s:\n" + log());
    }

    public String log() throws IOException {
        Path stdout = home.resolve("stdout.log");
        Path system = home.resolve("system.log");
        String text = (Files.exists(stdout) ? Files.readString(stdout) : "")
                + (Files.exists(system) ? Files.readString(system) : "");
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }

    /** The snapshot directories of a tag, relative to the data directory. */
    public List<String> snapshotDirs(String tag) throws IOException {
        try (Stream<Path> walk = Files.walk(dataDir, 4)) {
            return walk.filter(p -> p.getNameCount() - dataDir.getNameCount() == 4)
                    .filter(p -> p.getParent().getFileName().toString().equals("snapshots"))
                    .filter(p -> p.getFileName().toString().equals(tag))
                    .map(p -> dataDir.relativize(p).toString()).sorted().toList();
        }
    }

    public String nodetool(String... args) throws Exception {
        return runTool(nodetool, args);
    }

    /** Streams the SSTables of a directory named {@code <keyspace>/<table>} into this node. */
    public String sstableloader(Path tableDir) throws Exception {
        return runTool(sstableloader, "--no-progress", "-d", address, "-p", String.valueOf(cqlPort),
                "-sp", String.valueOf(storagePort), tableDir.toString());
    }

    private static String runTool(Path tool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(tool.getFileName() + " " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Cassandra 5.0 runs on JDK 17 (not on the Temurin 25 also on this machine). */
    static String java17() throws IOException {
        String home = System.getenv("JAVA17_HOME");
        if (home == null && Runtime.version().feature() == 17) {
            home = System.getProperty("java.home");
        }
        if (home == null) {
            try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
                home = jvms.filter(p -> p.getFileName().toString().contains("17"))
                        .filter(p -> Files.isExecutable(p.resolve("bin/java")))
                        .map(Path::toString).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no JDK 17 found: set JAVA17_HOME"));
            }
        }
        return Path.of(home, "bin", "java").toString();
    }
}
