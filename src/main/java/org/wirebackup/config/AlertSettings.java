package org.wirebackup.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.wirebackup.alert.AlertChannel;
import org.wirebackup.alert.EmailChannel;
import org.wirebackup.alert.WebhookChannel;

/** The alert channels besides the log: {@code backup.alert.webhook.*} and {@code backup.alert.email.*}. */
final class AlertSettings {

    private AlertSettings() {
    }

    static List<AlertChannel> channels(SettingsReader settings, CamelContext context) {
        List<AlertChannel> channels = new ArrayList<>();
        settings.optional("backup.alert.webhook.url").ifPresent(url -> channels.add(new WebhookChannel(
                webhookUrl(url), settings.optional("backup.alert.webhook.token").orElse(null),
                settings.duration("backup.alert.webhook.timeout"), webhookTrust(settings, url))));
        List<String> to = settings.optional("backup.alert.email.to")
                .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList())
                .orElse(List.of());
        if (!to.isEmpty()) {
            for (String address : to) {
                if (!address.matches("[^@\\s]+@[^@\\s]+")) {
                    throw new ConfigurationException("backup.alert.email.to", "'" + address + "' is not an email address");
                }
            }
            EmailChannel.Security security = settings.choice("backup.alert.email.security", EmailChannel.Security.class);
            channels.add(new EmailChannel(context, settings.required("backup.alert.email.host"),
                    settings.integer("backup.alert.email.port", 1, 65535), security, emailTrust(settings, security),
                    settings.optional("backup.alert.email.username").orElse(null),
                    settings.optional("backup.alert.email.password").orElse(null),
                    settings.required("backup.alert.email.from"), to));
        }
        return channels;
    }

    private static Optional<SSLContext> webhookTrust(SettingsReader settings, String url) {
        Optional<SSLContext> trust = CaFile.sslContext(settings, "backup.alert.webhook.ca-file");
        if (trust.isPresent() && !url.startsWith("https:")) {
            throw new ConfigurationException("backup.alert.webhook.ca-file", "is set, but backup.alert.webhook.url is "
                    + "not https: the certificates would never be used");
        }
        return trust;
    }

    private static Optional<SSLContext> emailTrust(SettingsReader settings, EmailChannel.Security security) {
        Optional<SSLContext> trust = CaFile.sslContext(settings, "backup.alert.email.ca-file");
        if (trust.isPresent() && security == EmailChannel.Security.NONE) {
            throw new ConfigurationException("backup.alert.email.ca-file", "is set, but backup.alert.email.security is "
                    + "none: the certificates would never be used");
        }
        return trust;
    }

    private static URI webhookUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("backup.alert.webhook.url", "'" + url + "' is not an http(s) URL");
        }
    }
}
