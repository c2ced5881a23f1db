package org.wirebackup;

import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import org.wirebackup.config.BackupConfiguration;
import org.wirebackup.route.AlertRoute;
import org.wirebackup.route.BackupRunRoute;
import org.wirebackup.route.CaptureRoute;
import org.wirebackup.route.CheckRoutes;
import org.wirebackup.route.Endpoints;
import org.wirebackup.route.ErrorPolicy;
import org.wirebackup.route.ScheduleRoute;
import org.wirebackup.run.BackupRun;

/**
 * wire-backup on camel-main: the built-in defaults, then the operator's properties file, then the environment
 * (a key's variable is its name upper-cased with dots and dashes as underscores, e.g. BACKUP_DIR).
 */
public final class WireBackupApplication implements AutoCloseable {

    static final String DEFAULTS = "classpath:org/wirebackup/config/application.properties";

    private final Main main;

    private WireBackupApplication(Main main) {
        this.main = main;
    }

    /** Camel main set up with the pipeline's routes; with the schedule when {@code scheduled}. */
    static Main camelMain(Path configFile, boolean scheduled) {
        CamelStartupLogging.quiet();
        Main main = new Main();
        // a key is taken from the first location that has it: the operator's file, then the built-in defaults
        main.setPropertyPlaceholderLocations("file:" + configFile.toAbsolutePath() + "," + DEFAULTS);
        // settings are read and checked before Camel loads the operator's YAML routes, so a bad setting is the first
        // and only thing reported
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport started) {
                try {
                    new BackupConfiguration(configFile, scheduled).configure(started.getCamelContext());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void afterStart(BaseMainSupport started) {
                if (scheduled) {
                    CamelStartupLogging.asConfigured();
                    org.slf4j.LoggerFactory.getLogger(WireBackupApplication.class).info("Started schedule: backups"
                            + " at cron {}", started.getCamelContext().resolvePropertyPlaceholders(
                            "{{backup.schedule.cron}}"));
                }
            }
        });
        if (!scheduled) {
            // one run and done: no management server (health, metrics) for `backup`, `demo` or the tests
            main.addOverrideProperty("camel.management.enabled", "false");
        } else {
            // camel-main 4.14 takes no environment variables for camel.management.*: README promises that they work
            ManagementEnvironment.overrides(System.getenv()).forEach(main::addOverrideProperty);
        }
        main.configure().addRoutesBuilder(new ErrorPolicy());
        main.configure().addRoutesBuilder(new AlertRoute());
        main.configure().addRoutesBuilder(new BackupRunRoute());
        main.configure().addRoutesBuilder(new CaptureRoute());
        main.configure().addRoutesBuilder(new CheckRoutes());
        if (scheduled) {
            main.configure().addRoutesBuilder(new ScheduleRoute());
        }
        return main;
    }

    /** Starts the application without the schedule, for one run now. */
    public static WireBackupApplication startOnce(Path configFile) throws Exception {
        Main main = camelMain(configFile, false);
        main.start();
        return new WireBackupApplication(main);
    }

    /** Runs the scheduled service until the process is stopped (SIGTERM / Ctrl-C). */
    public static int runScheduled(Path configFile) throws Exception {
        Main main = camelMain(configFile, true);
        main.run();
        return main.getExitCode();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** One backup run through the normal routes; returns when it has ended. */
    public BackupRun backupNow(String trigger) {
        try (ProducerTemplate template = context().createProducerTemplate()) {
            return template.requestBody("direct:" + Endpoints.BACKUP, trigger, BackupRun.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops Camel (and with it a run under way), for a shutdown hook: nothing is thrown. */
    public void stopQuietly() {
        try {
            main.stop();
        } catch (Exception e) {
            // the JVM is going down; the run's record says what happened
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
