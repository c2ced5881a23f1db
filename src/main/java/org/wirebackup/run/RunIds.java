package org.wirebackup.run;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** A run's id is its UTC start to the second, e.g. {@code 20261123T160000Z}: sortable, and readable in a listing. */
public final class RunIds {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private RunIds() {
    }

    public static String of(Instant start) {
        return FORMAT.format(start.truncatedTo(ChronoUnit.SECONDS));
    }

    public static boolean isRunId(String text) {
        return text.matches("\\d{8}T\\d{6}Z");
    }
}
