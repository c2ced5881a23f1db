package org.wirebackup.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.http.HttpMethod;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

/**
 * {@code GET /observe/runs[?limit=N]} on the management server: the run records, newest first, as JSON (what
 * {@code runs/<id>/run.json} hold), for dashboards and scripts.
 */
public final class RunHistoryEndpoint {

    public static final String PATH = "/observe/runs";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunHistoryEndpoint() {
    }

    /** Adds the endpoint when the management server runs (the {@code run} service). */
    public static void register(CamelContext context, RunRecordStore store) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return;
        }
        server.getRouter().route(PATH).method(HttpMethod.GET).blockingHandler(request -> {
            int limit = 50;
            String asked = request.request().getParam("limit");
            if (asked != null && asked.matches("\\d{1,5}")) {
                limit = Integer.parseInt(asked);
            }
            try {
                List<RunRecord> records = new ArrayList<>(store.all());
                Collections.reverse(records);
                request.response().putHeader("Content-Type", "application/json")
                        .end(JSON.writeValueAsString(records.subList(0, Math.min(limit, records.size()))));
            } catch (IOException e) {
                request.response().setStatusCode(500).end(e.getMessage());
            }
        });
    }
}
