package org.wirebackup.source.cassandra;

import java.net.InetSocketAddress;
import java.time.Duration;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;

/** A CQL session through an SSH tunnel's local end, for the schema capture and the restore alike. */
public final class CqlSessions {

    private CqlSessions() {
    }

    public static CqlSession open(InetSocketAddress local, CassandraSettings settings) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, "DcInferringLoadBalancingPolicy")
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(60))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(60))
                // the session is closed when its work is done: Netty's default quiet period held every close 2 s;
                // none at all let a late listener notification fail with an ERROR in the log (1 run in 12)
                .withString(DefaultDriverOption.NETTY_IO_SHUTDOWN_UNIT, "MILLISECONDS")
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 100)
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_TIMEOUT, 15_000)
                .withString(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_UNIT, "MILLISECONDS")
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 100)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_TIMEOUT, 15_000)
                // one node through one tunnel: no token map to compute, one I/O thread is plenty
                .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
                .withInt(DefaultDriverOption.NETTY_IO_SIZE, 1)
                .build();
        CqlSessionBuilder builder = CqlSession.builder().withConfigLoader(config).addContactPoint(local)
                // only the tunnel reaches the cluster: never try the other nodes' addresses from here
                .withNodeDistanceEvaluator((node, localDc) ->
                        node.getEndPoint().resolve().equals(local) ? null : NodeDistance.IGNORED);
        if (settings.cqlUsername() != null && !settings.cqlUsername().isEmpty()) {
            builder.withAuthCredentials(settings.cqlUsername(), settings.cqlPassword() == null ? "" : settings.cqlPassword());
        }
        return builder.build();
    }

    /** Where CQL listens, as seen from the node. */
    public static String address(CassandraSettings settings, org.wirebackup.ssh.SshTarget node) {
        return settings.cqlAddress() != null ? settings.cqlAddress() : node.host();
    }
}
