package org.wirebackup.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * POSTs each notice as JSON to a webhook: {@code text} for Slack and Mattermost incoming webhooks, plus the alert's
 * fields for anything that reads them. An optional bearer token (from the environment) goes in Authorization. Over
 * https, {@code trust} replaces the JVM's CAs when given; the host name is always checked.
 */
public final class WebhookChannel implements AlertChannel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    public WebhookChannel(URI url, String token, Duration timeout, Optional<SSLContext> trust) {
        this.url = url;
        this.token = token;
        this.timeout = timeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
        trust.ifPresent(http::sslContext);
        this.http = http.build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(Notice notice) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("text", notice.text());
        body.putAll(notice.fields());
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url.getHost() + " answered HTTP " + response.statusCode());
        }
    }
}
