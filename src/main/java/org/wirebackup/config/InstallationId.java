package org.wirebackup.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.wirebackup.source.Source;

/**
 * Which installation a copy belongs to, so that destination pruning removes only this installation's copies when
 * two installations share a backup directory or bucket prefix. Set {@code backup.installation-id} to keep it stable;
 * by default it is derived from the sources (kind, host, path), which differ between installations.
 */
final class InstallationId {

    private InstallationId() {
    }

    static String of(SettingsReader settings, String key, List<Source> sources) {
        Optional<String> configured = settings.optional(key);
        if (configured.isPresent()) {
            if (!configured.get().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new ConfigurationException(key, "'" + configured.get() + "' is not an id (letters, digits, . _ -;"
                        + " at most 64)");
            }
            return configured.get();
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            sources.stream().map(s -> s.kind() + "|" + s.host() + "|" + s.remotePath() + "\n").sorted()
                    .forEach(line -> digest.update(line.getBytes(StandardCharsets.UTF_8)));
            return "wire-" + HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
