package org.wirebackup.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wirebackup.io.PrivateFiles;

/** Reads typed settings by key; each bad or missing value becomes a {@link ConfigurationException} naming the key. */
public final class SettingsReader {

    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|d|h|m|s))+");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");

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
        Duration d = parseDuration(value);
        if (d == null) {
            throw new ConfigurationException(key, "'" + value + "' is not a duration (write e.g. 30s, 5m, 6h or 1h30m)");
        }
        if (d.isZero()) {
            throw new ConfigurationException(key, "must be longer than zero, was '" + value + "'");
        }
        return d;
    }

    /** {@code 1d2h30m15s500ms}-style parts, or ISO-8601 ({@code PT1H}); null when it is neither. */
    public static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        if (!DURATION.matcher(value).matches()) {
            return null;
        }
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(value);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
        }
        return total;
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

    public boolean bool(String key) {
        String value = required(key).toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigurationException(key, "'" + value + "' is not true or false");
        }
        return value.equals("true");
    }

    /** An optional duration: empty when the key is not set. */
    public Optional<Duration> optionalDuration(String key) {
        return optional(key).isPresent() ? Optional.of(duration(key)) : Optional.empty();
    }

    /** An optional size such as {@code 500MB}, {@code 20GiB} or a number of bytes: empty when the key is not set. */
    public OptionalLong optionalSize(String key) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        Matcher m = SIZE.matcher(value.get().replace(" ", ""));
        if (!m.matches()) {
            throw new ConfigurationException(key, "'" + value.get() + "' is not a size (write e.g. 500MB, 20GiB, 1TB)");
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "", "B" -> 1L;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            default -> 1L << 40;
        };
        return OptionalLong.of(Long.parseLong(m.group(1)) * factor);
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        return choice(key, required(key), type);
    }

    static <E extends Enum<E>> E choice(String key, String value, Class<E> type) {
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

    /** A directory that must exist now. */
    public Path existingDirectory(String key, String why) {
        Path dir = Path.of(required(key)).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException(key, "directory " + dir + " does not exist (" + why + ")");
        }
        return dir;
    }

    /** A directory that is created when missing and must be writable. */
    public Path writableDirectory(String key) {
        Path dir = Path.of(required(key)).toAbsolutePath().normalize();
        try {
            PrivateFiles.createDirectories(dir);
        } catch (Exception e) {
            throw new ConfigurationException(key, "cannot create directory " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigurationException(key, "directory " + dir + " is not writable by this user");
        }
        return dir;
    }
}
