package org.wirebackup.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellQuotingTest {

    @Test
    void aQuotedValueComesBackFromTheShellUnchanged() throws Exception {
        String value = "it's \"x\"; $(touch pwned) `id` & | > < * ? ~ \\ $HOME !";
        Process sh = new ProcessBuilder("/bin/sh", "-c", "printf %s " + ShellQuoting.quote(value)).start();
        assertThat(new String(sh.getInputStream().readAllBytes())).isEqualTo(value);
        assertThat(sh.waitFor()).isZero();
    }

    @Test
    void refusesWhatNoRemoteShellCanTake() {
        assertThatThrownBy(() -> ShellQuoting.quote("a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> ShellQuoting.quote("a\nb")).hasMessageContaining("line break");
    }
}
