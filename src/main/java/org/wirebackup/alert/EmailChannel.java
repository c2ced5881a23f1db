package org.wirebackup.alert;

import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailEndpoint;

/**
 * Emails each notice over SMTP (camel-mail). The password is set on the mail configuration, never in an endpoint URI,
 * so it cannot show up in Camel's logs. With TLS, the server's certificate must name the configured host, and STARTTLS
 * is required (never a silent fall-back to clear text); {@code trust} replaces the JVM's CAs when given.
 */
public final class EmailChannel implements AlertChannel {

    /** How the SMTP connection is secured: STARTTLS on a plain port (587), TLS from the start (465), or nothing. */
    public enum Security { STARTTLS, SSL, NONE }

    private final CamelContext context;
    private final MailEndpoint endpoint;

    public EmailChannel(CamelContext context, String host, int port, Security security, Optional<SSLContext> trust,
                        String username, String password, String from, List<String> to) {
        this.context = context;
        MailConfiguration mail = new MailConfiguration(context);
        mail.configureProtocol(security == Security.SSL ? "smtps" : "smtp");
        mail.setHost(host);
        mail.setPort(port);
        if (username != null && !username.isBlank()) {
            mail.setUsername(username);
            mail.setPassword(password);
        }
        mail.setFrom(from);
        mail.setTo(String.join(",", to));
        mail.setConnectionTimeout(30_000);
        Properties properties = new Properties();
        String prefix = "mail." + mail.getProtocol() + ".";
        if (security == Security.STARTTLS) {
            properties.setProperty(prefix + "starttls.enable", "true");
            properties.setProperty(prefix + "starttls.required", "true");
        }
        if (security != Security.NONE) {
            properties.setProperty(prefix + "ssl.checkserveridentity", "true");
            trust.ifPresent(ssl -> properties.put(prefix + "ssl.socketFactory", ssl.getSocketFactory()));
        }
        properties.setProperty(prefix + "timeout", "30000");
        mail.setAdditionalJavaMailProperties(properties);
        MailComponent component = context.getComponent("smtp", MailComponent.class);
        this.endpoint = new MailEndpoint(mail.getProtocol() + "://" + host + ":" + port, component, mail);
        this.endpoint.setCamelContext(context);
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void send(Notice notice) throws Exception {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            Exchange result = template.send(endpoint, exchange -> {
                exchange.getIn().setHeader("Subject", notice.subject());
                exchange.getIn().setBody(notice.text().replace(" | ", "\n") + "\n");
            });
            if (result.getException() != null) {
                throw result.getException();
            }
        }
    }
}
