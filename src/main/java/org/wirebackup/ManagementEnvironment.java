package org.wirebackup;

import java.util.LinkedHashMap;
import java.util.Map;

import org.wirebackup.config.KnownSettings;

/** {@code CAMEL_MANAGEMENT_PORT=9900} and the like: the environment overrides of the management server's keys. */
final class ManagementEnvironment {

    private static final String PREFIX = "camel.management.";

    private ManagementEnvironment() {
    }

    /** key -> value for every documented {@code camel.management.*} key that the environment sets. */
    static Map<String, String> overrides(Map<String, String> environment) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String key : KnownSettings.forCommands(java.util.List.of()).keys()) {
            String value = environment.get(KnownSettings.environmentName(key));
            if (key.startsWith(PREFIX) && value != null) {
                overrides.put(key, value);
            }
        }
        return overrides;
    }
}
