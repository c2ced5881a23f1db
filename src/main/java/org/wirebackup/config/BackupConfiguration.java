package org.wirebackup.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.camel.CamelConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.wirebackup.alert.AlertDispatcher;
import org.wirebackup.alert.Alerts;
import org.wirebackup.alert.FreshnessWatchdog;
import org.wirebackup.alert.RecoveryNotice;
import org.wirebackup.archive.AggregateStep;
import org.wirebackup.archive.VerifyStep;
import org.wirebackup.destination.FanOutStep;
import org.wirebackup.destination.S3Destination;
import org.wirebackup.destination.ScpDestination;
import org.wirebackup.route.CaptureRoute;
import org.wirebackup.restore.RestoreSettings;
import org.wirebackup.restore.drill.Drill;
import org.wirebackup.restore.drill.DrillMetrics;
import org.wirebackup.restore.drill.DrillRecordStore;
import org.wirebackup.restore.drill.DrillSettings;
import org.wirebackup.run.DiskPreflight;
import org.wirebackup.run.Retention;
import org.wirebackup.run.RunLifecycle;
import org.wirebackup.run.HistoryEndpoint;
import org.wirebackup.run.RunMetrics;
import org.wirebackup.run.RunRecord;
import org.wirebackup.run.RunRecordStore;
import org.wirebackup.run.RunCoordination;
import org.wirebackup.run.RunHistory;
import org.wirebackup.restore.drill.DrillHistory;
import org.wirebackup.cluster.ClusterCoordinator;
import org.wirebackup.cluster.ClusterDatabase;
import org.wirebackup.cluster.ClusterHistory;
import org.wirebackup.cluster.ClusterMarker;
import org.wirebackup.cluster.ClusterSettings;
import org.wirebackup.cluster.InstanceName;
import org.wirebackup.cluster.QuartzClusterProperties;
import org.apache.camel.component.quartz.QuartzComponent;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.wirebackup.source.CaptureStep;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.source.cassandra.CassandraSchemaSource;
import org.wirebackup.source.cassandra.CqlDriverWarmUp;

/** Reads and checks the settings, then binds the pipeline's beans; a bad setting stops start-up here. */
public final class BackupConfiguration implements CamelConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BackupConfiguration.class);

    private final java.nio.file.Path settingsFile;
    private final boolean service;

    /**
     * @param settingsFile the operator's settings file, whose every key must be a setting
     * @param service      the {@code run} service, whose management server must be able to listen
     */
    public BackupConfiguration(java.nio.file.Path settingsFile, boolean service) {
        this.settingsFile = settingsFile;
        this.service = service;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        SettingsReader reader = new SettingsReader(key -> context.getPropertiesComponent().resolveProperty(key));
        KnownSettings known = KnownSettings.forCommands(SourceSettings.commandNames(reader));
        known.checkFileKeys(settingsFile.toString(), SettingsFile.keys(settingsFile));
        if (!SettingsFile.isFromEnvironment(settingsFile, "backup.cluster.password")) {
            throw new ConfigurationException("backup.cluster.password", "is a secret and is read from the environment"
                    + " only: set WIRE_BACKUP_CLUSTER_PASSWORD instead of writing it in " + settingsFile);
        }
        known.unknownEnvironmentVariables(System.getenv()).forEach(LOG::warn);
        BackupSettings settings = BackupSettings.read(reader);
        RestoreSettings restoreSettings = RestoreSettingsReader.read(reader, settings.sshUser());
        DrillSettings drillSettings = DrillSettingsReader.read(reader, settings.sshUser(), settings.sources());
        if (service && reader.bool("camel.management.enabled")) {
            ManagementPort.requireFree(reader);
        }

        if (settings.sources().stream().anyMatch(s -> s instanceof CassandraSchemaSource)) {
            CqlDriverWarmUp.startInBackground();
        }
        RemoteCommandRunner ssh = new RemoteCommandRunner(settings.ssh());
        context.getRegistry().bind("remoteCommandRunner", ssh);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                ssh.close();
            }
        }, true, true);

        RunRecordStore store = new RunRecordStore(settings.backupDir());
        DrillRecordStore drills = new DrillRecordStore(settings.backupDir());
        ClusterCoordinator cluster = cluster(reader, settings, context, service);
        RunHistory history = cluster == null ? store : cluster.sharedHistory();
        DrillHistory drillHistory = cluster == null ? drills : cluster.sharedHistory();
        RunMetrics metrics = new RunMetrics(history);
        DrillMetrics drillMetrics = new DrillMetrics(drillHistory);
        context.getRegistry().bind("drillMetrics", drillMetrics);
        context.getRegistry().bind("runMetrics", metrics);
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // camel-micrometer-prometheus binds its registry while starting; gauges join it once it is there
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                MeterRegistry meters = started.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                if (meters != null) {
                    metrics.bind(meters);
                    drillMetrics.bind(meters);
                }
                HistoryEndpoint.register(started, HistoryEndpoint.RUNS, () -> {
                    List<RunRecord> records = new ArrayList<>(history.all());
                    Collections.reverse(records);
                    return records;
                });
                HistoryEndpoint.register(started, HistoryEndpoint.DRILLS, drillHistory::newestFirst);
            }
        });
        AlertDispatcher channels = new AlertDispatcher(AlertSettings.channels(reader, context), metrics);
        context.getRegistry().bind("alertChannels", channels);
        context.getRegistry().bind("freshnessWatchdog", new FreshnessWatchdog(context, history, settings.backupDir(),
                reader.duration("backup.watchdog.max-age")));
        context.getRegistry().bind("recoveryNotice", new RecoveryNotice(history, channels,
                reader.bool("backup.alert.notify-recovery")));
        context.getRegistry().bind("backupSettings", settings);
        context.getRegistry().bind("restoreSettings", restoreSettings);
        context.getRegistry().bind("drillSettings", drillSettings);
        context.getRegistry().bind("runRecordStore", store);

        RunLifecycle lifecycle = new RunLifecycle(settings.backupDir(), store, settings.sources(), settings.keepParts(),
                ToolVersion.get(), metrics, failure -> Alerts.raise(context, failure),
                cluster == null ? RunCoordination.LOCAL : cluster);
        context.getRegistry().bind("runLifecycle", lifecycle);
        context.getManagementStrategy().addEventNotifier(new StopRunsOnShutdown(lifecycle, ssh));
        context.getRegistry().bind("diskPreflight", new DiskPreflight(settings.backupDir(), settings.minFreeSpace(), store));
        context.getRegistry().bind("captureStep", new CaptureStep(ssh));
        context.getRegistry().bind("verifyStep", new VerifyStep());
        context.getRegistry().bind("aggregateStep", new AggregateStep(settings.backupDir(), settings.keepParts(),
                settings.installationId(), settings.encryption()));
        context.getRegistry().bind("retention", new Retention(store, settings.retentionKeep(), settings.retentionMaxAge()));
        context.getRegistry().bind("scpDestination", new ScpDestination(ssh, settings.sshUser()));
        S3Destination s3 = new S3Destination();
        context.getRegistry().bind("s3Destination", s3);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                s3.close();
            }
        }, true, true);
        context.getRegistry().bind("drill", new Drill(context, drillSettings, restoreSettings, settings.backupDir(), settings.sshUser(),
                settings.installationId(), ssh, store, s3, drillHistory, cluster == null ? RunCoordination.LOCAL : cluster,
                cluster == null ? record -> { } : cluster::recordedDrill));
        context.getRegistry().bind("fanOutStep", new FanOutStep(context, settings.destinationRetries(),
                settings.destinationRetryDelay(), settings.installationId()));
        context.getRegistry().bind(CaptureRoute.CAPTURE_POOL, context.getExecutorServiceManager()
                .newFixedThreadPool(this, "capture", settings.captureParallelism()));
    }

    /**
     * With {@code backup.cluster.jdbc-url}: the cluster's tables made when missing (start-up stops with the key named
     * when the database cannot be reached), and for the service Quartz's clustered JDBC job store.
     */
    private static ClusterCoordinator cluster(SettingsReader reader, BackupSettings settings, CamelContext context,
                                              boolean service) {
        Optional<ClusterSettings> clusterSettings = ClusterSettings.read(reader);
        if (clusterSettings.isEmpty()) {
            return null;
        }
        ClusterDatabase database = new ClusterDatabase(clusterSettings.get());
        try {
            database.prepare();
        } catch (SQLException e) {
            throw new ConfigurationException(ClusterSettings.JDBC_URL, "the cluster database cannot be reached or"
                    + " prepared: " + e.getMessage());
        }
        ClusterCoordinator cluster = new ClusterCoordinator(database,
                new ClusterHistory(database, settings.installationId(), InstanceName.of()), settings.installationId(),
                failure -> Alerts.raise(context, failure), settings.retentionKeep(), settings.retentionMaxAge());
        context.getRegistry().bind("clusterCoordinator", cluster);
        try {
            org.wirebackup.io.PrivateFiles.createDirectories(settings.backupDir());
            new ClusterMarker(clusterSettings.get().jdbcUrl(), clusterSettings.get().user(), settings.installationId())
                    .write(settings.backupDir());
        } catch (java.io.IOException e) {
            throw new ConfigurationException("backup.dir", "cannot write " + ClusterMarker.FILE + " in "
                    + settings.backupDir() + ": " + e.getMessage());
        }
        if (service) {
            Properties quartz = QuartzClusterProperties.of(clusterSettings.get());
            context.getComponent("quartz", QuartzComponent.class).setProperties(new java.util.HashMap<>(quartz));
            LOG.info("Cluster: scheduling through Quartz's job store on {} as instance {}",
                    clusterSettings.get().jdbcUrl(), cluster.instance());
        }
        return cluster;
    }
}
