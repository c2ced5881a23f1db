package org.wirebackup.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The runs of a cluster's shared history ({@code wire_backup_records}), as the HA tests watch them. */
public final class SharedRuns {

    /** One run: its id, the instance that ran it ({@code HOST/PID}), status, times and error. */
    public record Run(String id, String instance, String status, Instant started, Instant finished, String error) {

        /** The process id of the instance that ran it. */
        public long pid() {
            return Long.parseLong(instance.substring(instance.lastIndexOf('/') + 1));
        }
    }

    private SharedRuns() {
    }

    /** Every run in the table, oldest first. */
    public static List<Run> of(PostgresServer postgres) throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, instance, status, started_at, finished_at,"
                     + " record->>'error' FROM wire_backup_records WHERE kind = 'run' ORDER BY id")) {
            List<Run> runs = new ArrayList<>();
            while (rs.next()) {
                runs.add(new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(), rs.getString(6)));
            }
            return runs;
        }
    }
}
