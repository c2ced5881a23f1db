package org.wirebackup.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestCertificates;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.WebhookReceiver;

/**
 * Alerts over TLS to servers whose certificates an internal CA signed (SMTPS with authentication in GreenMail, an https
 * webhook): delivered when {@code ca-file} trusts that CA and the host matches the certificate, refused otherwise, and
 * never sent in clear text when STARTTLS was asked for.
 */
class AlertTlsTest {

    @TempDir
    Path tmp;
    TestCertificates certificates;
    GreenMail smtps;
    WebhookReceiver webhook;

    @BeforeEach
    void servers() throws Exception {
        certificates = TestCertificates.get();
        smtps = new GreenMail(ServerSetupTest.SMTPS.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", "s3cret"));
        smtps.start();
        webhook = WebhookReceiver.https(certificates.serverContext());
    }

    @AfterEach
    void stop() {
        webhook.close();
        smtps.stop();
    }

    @Test
    void theInternalCaFromCaFileIsTrustedAndTheSmtpLoginIsUsed() throws Exception {
        try (TestInstallation wire = failingInstallation()) {
            wire.set("backup.alert.webhook.url", webhook.url())
                    .set("backup.alert.webhook.ca-file", certificates.caPem.toString())
                    .set("backup.alert.email.host", "127.0.0.1")
                    .set("backup.alert.email.ca-file", certificates.caPem.toString())
                    .set("backup.alert.email.username", "alerts")
                    .set("backup.alert.email.password", "s3cret");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(smtps.waitForIncomingEmail(10_000, 1)).isTrue();
            assertThat(smtps.getReceivedMessages()[0].getSubject()).startsWith("wire-backup ALERT: capture failed on ");
            assertThat(webhook.posts).singleElement().satisfies(post -> assertThat(post).contains("\"step\":\"capture\""));
        }
    }

    @Test
    void anUntrustedCertificateOrAHostItDoesNotNameGetsNoAlert() throws Exception {
        try (TestInstallation wire = failingInstallation(); LogCapture log = LogCapture.alerts()) {
            // the webhook's CA is trusted, but the certificate names 127.0.0.1 and the URL says localhost
            wire.set("backup.alert.webhook.url", webhook.url("localhost"))
                    .set("backup.alert.webhook.ca-file", certificates.caPem.toString())
                    // no ca-file: the JVM's CAs do not know the internal CA
                    .set("backup.alert.email.host", "127.0.0.1");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(log.text()).contains("wire-backup ALERT run=")
                    .containsPattern("Alert channel webhook failed: .*No name matching localhost found")
                    .containsPattern("Alert channel email failed: .*unable to find valid certification path");
            assertThat(webhook.posts).isEmpty();
            assertThat(smtps.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void aWrongSmtpPasswordIsReportedAndNothingIsSent() throws Exception {
        try (TestInstallation wire = failingInstallation(); LogCapture log = LogCapture.alerts()) {
            wire.set("backup.alert.email.host", "127.0.0.1")
                    .set("backup.alert.email.ca-file", certificates.caPem.toString())
                    .set("backup.alert.email.username", "alerts")
                    .set("backup.alert.email.password", "not-the-password");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(log.text()).contains("Alert channel email failed: 535").doesNotContain("not-the-password");
            assertThat(smtps.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void starttlsIsNeverDowngradedToClearText() throws Exception {
        GreenMail plain = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        plain.start();
        try (TestInstallation wire = failingInstallation(); LogCapture log = LogCapture.alerts()) {
            wire.set("backup.alert.email.host", "127.0.0.1")
                    .set("backup.alert.email.port", String.valueOf(plain.getSmtp().getPort()))
                    .set("backup.alert.email.security", "starttls");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(log.text()).contains("Alert channel email failed: ", "STARTTLS");
            assertThat(plain.getReceivedMessages()).isEmpty();
        } finally {
            plain.stop();
        }
    }

    @Test
    void aCaFileThatIsNotPemOrCannotBeUsedStopsStartUpNamingTheKey() throws Exception {
        Path notPem = Files.writeString(tmp.resolve("ca.txt"), "this is not a certificate\n");
        try (TestInstallation wire = failingInstallation()) {
            wire.set("backup.alert.email.ca-file", notPem.toString());
            Cli.Result garbage = Cli.run("backup", "--config", wire.writeSettings().toString());

            wire.set("backup.alert.email.ca-file", certificates.caPem.toString())
                    .set("backup.alert.email.security", "none");
            Cli.Result unused = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(garbage.exitCode()).isEqualTo(2);
            assertThat(garbage.err()).startsWith("wire-backup: configuration error: backup.alert.email.ca-file: ")
                    .contains(notPem.toString());
            assertThat(unused.exitCode()).isEqualTo(2);
            assertThat(unused.err()).startsWith("wire-backup: configuration error: backup.alert.email.ca-file: ")
                    .contains("backup.alert.email.security is none");
            assertThat(wire.backupDir.resolve("runs")).doesNotExist();
        }
    }

    /** A run that fails (the wire-server folder is missing), with email alerts over SMTPS to GreenMail. */
    private TestInstallation failingInstallation() throws Exception {
        TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
        return wire.set("backup.wire-server.path", "/no/such/wire-server")
                .set("backup.alert.email.to", "ops@example.com")
                .set("backup.alert.email.port", String.valueOf(smtps.getSmtps().getPort()))
                .set("backup.alert.email.security", "ssl");
    }
}
