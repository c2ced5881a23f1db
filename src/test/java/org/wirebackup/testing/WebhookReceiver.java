package org.wirebackup.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/** A real HTTP(S) server on 127.0.0.1 that takes webhook POSTs at /hooks/wire and keeps their bodies and tokens. */
public final class WebhookReceiver implements AutoCloseable {

    public final List<String> posts = new CopyOnWriteArrayList<>();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final String scheme;

    private WebhookReceiver(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/hooks/wire", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    public static WebhookReceiver http() throws IOException {
        return new WebhookReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
    }

    public static WebhookReceiver https(SSLContext serverContext) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        return new WebhookReceiver(server, "https");
    }

    /** The webhook's URL, naming the server by {@code host} (it listens on 127.0.0.1). */
    public String url(String host) {
        return scheme + "://" + host + ":" + server.getAddress().getPort() + "/hooks/wire";
    }

    public String url() {
        return url("127.0.0.1");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
