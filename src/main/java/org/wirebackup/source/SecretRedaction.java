package org.wirebackup.source;

import java.util.regex.Pattern;

/**
 * Hides the values of secrets written into an operator's command ({@code PGPASSWORD=... pg_dumpall},
 * {@code --password=...}) wherever the command is shown: logs, run records, the manifest, alerts. The command still
 * runs as written; README says where such secrets belong instead (the host's {@code ~/.pgpass}, an env file).
 */
public final class SecretRedaction {

    private static final String NAMED_LIKE_A_SECRET = "[A-Za-z0-9_]*(?:PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL)[A-Za-z0-9_]*";
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "\\b(" + NAMED_LIKE_A_SECRET + ")=('[^']*'|\"[^\"]*\"|\\S+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern OPTION = Pattern.compile(
            "(--?[A-Za-z-]*(?:password|passwd|secret|token)[A-Za-z-]*)(=|\\s+)('[^']*'|\"[^\"]*\"|\\S+)",
            Pattern.CASE_INSENSITIVE);
    public static final String HIDDEN = "***";

    private SecretRedaction() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String hidden = ASSIGNMENT.matcher(text).replaceAll("$1=" + HIDDEN);
        return OPTION.matcher(hidden).replaceAll("$1$2" + HIDDEN);
    }
}
