package org.wirebackup.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SettingsReaderTest {

    @Test
    void durationsInOperatorNotation() {
        assertThat(SettingsReader.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SettingsReader.parseDuration("6h")).isEqualTo(Duration.ofHours(6));
        assertThat(SettingsReader.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(SettingsReader.parseDuration("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(SettingsReader.parseDuration("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SettingsReader.parseDuration("forever")).isNull();
        assertThat(SettingsReader.parseDuration("10")).isNull();
        assertThat(SettingsReader.parseDuration("5 m")).isNull();
    }
}
