package org.wirebackup.config;

/** The version from the jar's manifest; {@code dev} when running from classes. */
public final class ToolVersion {

    private ToolVersion() {
    }

    public static String get() {
        String version = ToolVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
