package org.wirebackup.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wirebackup.testing.Cli;
import org.wirebackup.testing.DestinationFiles;
import org.wirebackup.testing.LogCapture;
import org.wirebackup.testing.TestInstallation;
import org.wirebackup.testing.WebhookReceiver;

/** Alerts reach a real SMTP server (GreenMail) and a real HTTP webhook; a failing channel stops no other. */
class AlertChannelsTest {

    @TempDir
    Path tmp;
    GreenMail smtp;
    WebhookReceiver webhook;

    @BeforeEach
    void servers() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        webhook = WebhookReceiver.http();
    }

    @AfterEach
    void stop() {
        webhook.close();
        smtp.stop();
    }

    @Test
    void failuresGoToTheWebhookAndByEmailAndARecoveryIsAnnounced() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            channels(wire, webhook.url());
            String path = wire.wireServerFolder.toString();
            wire.set("backup.wire-server.path", path + "-missing");

            Cli.Result failed = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(failed.exitCode()).isEqualTo(1);
            String runId = wire.onlyRunRecord().get("runId").asText();
            JsonNode post = new ObjectMapper().readTree(webhook.posts.get(0));
            assertThat(post.get("text").asText()).startsWith("wire-backup ALERT run=" + runId + " step=capture host="
                    + wire.ssh.target()).contains("hint:");
            assertThat(post.get("step").asText()).isEqualTo("capture");
            assertThat(post.get("host").asText()).isEqualTo(wire.ssh.target().toString());
            assertThat(webhook.authorizations.get(0)).isEqualTo("Bearer t0ken-for-tests");
            assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(mail.getSubject()).isEqualTo("wire-backup ALERT: capture failed on " + wire.ssh.target()
                    + " (run " + runId + ")");
            assertThat(mail.getAllRecipients()[0]).hasToString("ops@example.com");
            assertThat(GreenMailUtil.getBody(mail)).contains("exited with status", "hint:");

            wire.set("backup.wire-server.path", path);
            Thread.sleep(1100);
            Cli.Result recovered = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(recovered.exitCode()).as(recovered.out()).isZero();
            assertThat(webhook.posts).hasSize(2);
            assertThat(new ObjectMapper().readTree(webhook.posts.get(1)).get("text").asText())
                    .startsWith("wire-backup RECOVERED: run ").contains("after failed run " + runId);
        }
    }

    @Test
    void anErrorInsideADestinationKameletRaisesAnAlertOnEveryChannel() throws Exception {
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"))) {
            Files.writeString(wire.wireServerFolder.resolve("values.yaml"), "brig: {}\n");
            channels(wire, webhook.url());
            // a directory no one can create, even root: the kamelet fails at run time
            DestinationFiles.scp(wire.routesDir, "backup-host", wire.ssh.hostSpec(), Path.of("/proc/wire-backups"), 0);
            wire.set("backup.destination.retries", "0");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(webhook.posts).singleElement().satisfies(p -> assertThat(p).contains("step=copy host=backup-host"));
            assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
            assertThat(smtp.getReceivedMessages()[0].getSubject()).startsWith("wire-backup ALERT: copy failed on backup-host");
        }
    }

    @Test
    void aChannelThatFailsStopsNoOther() throws Exception {
        HttpServer broken = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        broken.createContext("/", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        broken.start();
        try (TestInstallation wire = TestInstallation.create(tmp.resolve("wire"));
             LogCapture log = LogCapture.alerts()) {
            channels(wire, "http://127.0.0.1:" + broken.getAddress().getPort() + "/hooks/wire");
            wire.set("backup.wire-server.path", "/no/such/wire-server");

            Cli.Result result = Cli.run("backup", "--config", wire.writeSettings().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(smtp.waitForIncomingEmail(10_000, 1)).as("the email still went out").isTrue();
            assertThat(log.text()).contains("wire-backup ALERT run=", "Alert channel webhook failed: 127.0.0.1 answered HTTP 500");
        } finally {
            broken.stop(0);
        }
    }

    private void channels(TestInstallation wire, String webhookUrl) {
        wire.set("backup.alert.webhook.url", webhookUrl)
                .set("backup.alert.webhook.token", "t0ken-for-tests")
                .set("backup.alert.email.to", "ops@example.com")
                .set("backup.alert.email.host", "127.0.0.1")
                .set("backup.alert.email.port", String.valueOf(smtp.getSmtp().getPort()))
                .set("backup.alert.email.security", "none");
    }
}
