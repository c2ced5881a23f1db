package org.wirebackup.cluster;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.wirebackup.restore.drill.DrillHistory;
import org.wirebackup.restore.drill.DrillRecord;
import org.wirebackup.run.RunHistory;
import org.wirebackup.run.RunRecord;

/** The cluster's run and drill records as monitoring reads them: every instance's, whichever instance asks. */
public final class SharedHistory implements RunHistory, DrillHistory {

    /** How the cluster's records are read and written (fields only ever added: unknown ones are skipped). */
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ClusterHistory history;

    public SharedHistory(ClusterHistory history) {
        this.history = history;
    }

    /** Every instance's runs, oldest first. */
    @Override
    public List<RunRecord> all() throws IOException {
        return parse(ClusterHistory.RUN, RunRecord.class);
    }

    /** Every instance's drills, newest first. */
    @Override
    public List<DrillRecord> newestFirst() throws IOException {
        List<DrillRecord> drills = parse(ClusterHistory.DRILL, DrillRecord.class);
        Collections.reverse(drills);
        return drills;
    }

    private <T> List<T> parse(String kind, Class<T> type) throws IOException {
        List<ClusterHistory.Entry> entries;
        try {
            entries = history.all(kind);
        } catch (SQLException e) {
            throw new IOException("the cluster's history cannot be read: " + e.getMessage(), e);
        }
        List<T> records = new ArrayList<>();
        for (ClusterHistory.Entry entry : entries) {
            records.add(JSON.readValue(entry.json(), type));
        }
        return records;
    }
}
