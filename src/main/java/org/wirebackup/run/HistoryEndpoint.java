package org.wirebackup.run;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.http.HttpMethod;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

/**
 * {@code GET <path>[?limit=N]} on the management server: records, newest first, as JSON (what their files hold), for
 * dashboards and scripts: {@code /observe/runs} and {@code /observe/drills}.
 */
public final class HistoryEndpoint {

    /** The records, newest first. */
    @FunctionalInterface
    public interface Records {
        List<?> newestFirst() throws IOException;
    }

    public static final String RUNS = "/observe/runs";
    public static final String DRILLS = "/observe/drills";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HistoryEndpoint() {
    }

    /** Adds the endpoint when the management server runs (the {@code run} service). */
    public static void register(CamelContext context, String path, Records records) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return;
        }
        server.getRouter().route(path).method(HttpMethod.GET).blockingHandler(request -> {
            int limit = 50;
            String asked = request.request().getParam("limit");
            if (asked != null && asked.matches("\\d{1,5}")) {
                limit = Integer.parseInt(asked);
            }
            try {
                List<?> newestFirst = records.newestFirst();
                request.response().putHeader("Content-Type", "application/json")
                        .end(JSON.writeValueAsString(newestFirst.subList(0, Math.min(limit, newestFirst.size()))));
            } catch (IOException e) {
                request.response().setStatusCode(500).end(e.getMessage());
            }
        });
    }
}
