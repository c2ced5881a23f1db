package org.wirebackup.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SshTargetTest {

    @Test
    void parsesEveryFormAnOperatorWrites() {
        assertThat(SshTarget.parse("wire-host", "wire", 22)).isEqualTo(new SshTarget("wire", "wire-host", 22));
        assertThat(SshTarget.parse("root@10.0.0.5", "wire", 22)).isEqualTo(new SshTarget("root", "10.0.0.5", 22));
        assertThat(SshTarget.parse("root@10.0.0.5:2222", "wire", 22)).isEqualTo(new SshTarget("root", "10.0.0.5", 2222));
        assertThat(SshTarget.parse("wire@[fd00::5]:2222", "x", 22)).isEqualTo(new SshTarget("wire", "fd00::5", 2222));
        assertThat(SshTarget.parse("fd00::5", "wire", 22)).isEqualTo(new SshTarget("wire", "fd00::5", 22));
        assertThat(new SshTarget("wire", "fd00::5", 2222)).hasToString("wire@[fd00::5]:2222");
        assertThat(new SshTarget("wire", "h", 22)).hasToString("wire@h");
    }

    @Test
    void refusesWhatIsNoHost() {
        assertThatThrownBy(() -> SshTarget.parse("", "wire", 22)).hasMessageContaining("no host");
        assertThatThrownBy(() -> SshTarget.parse("wire@", "wire", 22)).hasMessageContaining("does not name a host");
        assertThatThrownBy(() -> SshTarget.parse("@host", "wire", 22)).hasMessageContaining("empty user");
        assertThatThrownBy(() -> SshTarget.parse("h:99999", "wire", 22)).hasMessageContaining("outside 1-65535");
        assertThatThrownBy(() -> SshTarget.parse("[fd00::5", "wire", 22)).hasMessageContaining("without closing");
        assertThatThrownBy(() -> SshTarget.parse("host/path", "wire", 22)).hasMessageContaining("does not name a host");
    }
}
