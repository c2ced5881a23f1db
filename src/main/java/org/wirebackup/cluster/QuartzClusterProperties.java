package org.wirebackup.cluster;

import java.util.Properties;

/**
 * Quartz's settings for the clustered schedule: the JDBC job store on the cluster's PostgreSQL, one scheduler name
 * for every instance, each instance's id made by Quartz, a pool of its own (HikariCP).
 */
public final class QuartzClusterProperties {

    private QuartzClusterProperties() {
    }

    public static Properties of(ClusterSettings settings) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "wire-backup");
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "3");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                String.valueOf(settings.checkinInterval().toMillis()));
        // a firing missed by more than this (every instance down, the database away) fires once when one is back
        p.setProperty("org.quartz.jobStore.misfireThreshold", "10000");
        p.setProperty("org.quartz.jobStore.dbRetryInterval", String.valueOf(settings.checkinInterval().toMillis()));
        p.setProperty("org.quartz.jobStore.dataSource", "cluster");
        p.setProperty("org.quartz.dataSource.cluster.provider", "hikaricp");
        p.setProperty("org.quartz.dataSource.cluster.driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource.cluster.URL", settings.jdbcUrl());
        p.setProperty("org.quartz.dataSource.cluster.user", settings.user());
        if (settings.password() != null) {
            p.setProperty("org.quartz.dataSource.cluster.password", settings.password());
        }
        p.setProperty("org.quartz.dataSource.cluster.maxConnections", "4");
        p.setProperty("org.quartz.dataSource.cluster.validationQuery", "SELECT 1");
        return p;
    }
}
