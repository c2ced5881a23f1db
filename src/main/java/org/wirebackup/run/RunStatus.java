package org.wirebackup.run;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** {@code ok} and {@code partial} count as a good backup; {@code running} is a run under way (or one that died). */
public enum RunStatus {
    RUNNING, OK, PARTIAL, FAILED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
