package org.wirebackup.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.util.TimeUtils;

/** Reads typed settings by key; each bad or missing value becomes a {@link ConfigurationException} naming the key. */
public final class SettingsReader {

    private final Function<String, Optional<String>> lookup;

    public SettingsReader(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public Optional<String> optional(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new ConfigurationException(key, "is not set"));
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    /** A duration such as {@code 30s}, {@code 5m}, {@code 6h} or {@code 1h30m}. */
    public Duration duration(String key) {
        String value = required(key);
        try {
            Duration d = TimeUtils.toDuration(value);
            if (d.isNegative() || d.isZero()) {
                throw new ConfigurationException(key, "must be longer than zero, was '" + value + "'");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, "'" + value + "' is not a duration (write e.g. 30s, 5m, 6h)");
        }
    }

    public int integer(String key, int min, int max) {
        String value = required(key);
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new ConfigurationException(key, "must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key, "'" + value + "' is not a whole number");
        }
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        String value = required(key);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E option : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(option.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigurationException(key, "'" + value + "' is not one of: " + allowed);
        }
    }

    /** A file that must exist and be readable now. */
    public Path readableFile(String key) {
        Path file = Path.of(required(key)).toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            throw new ConfigurationException(key, "file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigurationException(key, file + " is not a readable file");
        }
        return file;
    }

    /** A directory that is created when missing and must be writable. */
    public Path writableDirectory(String key) {
        Path dir = Path.of(required(key)).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (Exception e) {
            throw new ConfigurationException(key, "cannot create directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigurationException(key, "directory " + dir + " is not writable by this user");
        }
        return dir;
    }
}
