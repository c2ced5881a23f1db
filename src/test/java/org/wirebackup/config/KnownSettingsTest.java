package org.wirebackup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KnownSettingsTest {

    private final KnownSettings known = KnownSettings.forCommands(List.of("postgres"));

    @Test
    void environmentVariableThatMapsToNoSettingIsWarnedAbout() {
        List<String> warnings = known.unknownEnvironmentVariables(Map.of(
                "BACKUP_MINIO_HOTS", "m1", "BACKUP_DIR", "/srv", "BACKUP_COMMAND_POSTGRES_HOST", "db1",
                "HOME", "/root"));

        assertThat(warnings).containsExactly("environment variable BACKUP_MINIO_HOTS is not a setting of wire-backup"
                + " and is ignored (did you mean BACKUP_MINIO_HOSTS, for backup.minio.hosts?)");
    }

    @Test
    void everyDocumentedKeyAndEveryKeyOfADeclaredCommandIsKnown() {
        KnownSettings.defaults().stringPropertyNames().forEach(k -> assertThat(known.isKnown(k)).as(k).isTrue());
        assertThat(known.isKnown("backup.command.postgres.compression-level")).isTrue();
        assertThat(known.isKnown("backup.command.mysql.host")).isFalse();
    }
}
