package org.wirebackup.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Collections;

/**
 * The settings wire-backup knows: every key of the built-in defaults (the documented application.properties), plus
 * {@code backup.command.NAME.*} for each declared command. A key an operator writes that is none of them is a
 * misspelling until proven otherwise: a silently ignored key once dropped a whole source while the run said OK.
 */
public final class KnownSettings {

    static final String DEFAULTS_RESOURCE = "/org/wirebackup/config/application.properties";
    static final List<String> COMMAND_KEYS = List.of("host", "command", "suffix", "format", "compression",
            "compression-level");
    /** Key prefixes that are wire-backup's own: any key under them must be known. */
    private static final List<String> OWN_PREFIXES = List.of("backup.", "restore.");

    private static final Pattern COMMAND_KEY =
            Pattern.compile("backup\\.command\\.([^.]+)\\.(.+)");

    private final Set<String> keys;

    private KnownSettings(Set<String> keys) {
        this.keys = keys;
    }

    /** The built-in keys and those of the commands {@code backup.commands} declares. */
    public static KnownSettings forCommands(List<String> commandNames) {
        Set<String> keys = new TreeSet<>(defaults().stringPropertyNames());
        for (String name : commandNames) {
            for (String key : COMMAND_KEYS) {
                keys.add("backup.command." + name + "." + key);
            }
        }
        return new KnownSettings(keys);
    }

    static Properties defaults() {
        Properties defaults = new Properties();
        try (InputStream in = KnownSettings.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in defaults " + DEFAULTS_RESOURCE + " are missing from the jar");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(keys);
    }

    public boolean isKnown(String key) {
        return keys.contains(key);
    }

    /**
     * Stops start-up on a key of the operator's file that is no setting: every key under {@code backup.} and
     * {@code restore.}, and any other that is a near miss of one (e.g. {@code bakup.dir}); other keys are the
     * operator's own placeholders, for their routes.
     */
    public void checkFileKeys(String file, Set<String> fileKeys) {
        for (String key : new TreeSet<>(fileKeys)) {
            if (isKnown(key) || key.startsWith("camel.")) {
                continue;
            }
            Matcher command = COMMAND_KEY.matcher(key);
            if (command.matches() && COMMAND_KEYS.contains(command.group(2))) {
                throw new ConfigurationException(key, "is a setting of command '" + command.group(1)
                        + "', which backup.commands does not declare (in " + file + ")");
            }
            Optional<String> nearest = nearest(key);
            boolean own = OWN_PREFIXES.stream().anyMatch(key::startsWith);
            if (own || nearest.filter(n -> distance(key, n) <= 2).isPresent()) {
                throw new ConfigurationException(key, "is not a setting of wire-backup (in " + file + ")"
                        + nearest.map(n -> "; did you mean " + n + "?").orElse(""));
            }
        }
    }

    /** One line per environment variable named like a setting ({@code BACKUP_...}) that maps to none. */
    public List<String> unknownEnvironmentVariables(Map<String, String> environment) {
        Set<String> known = new TreeSet<>();
        keys.forEach(k -> known.add(environmentName(k)));
        return environment.keySet().stream()
                .filter(name -> name.startsWith("BACKUP_") && !known.contains(name))
                .sorted()
                .map(name -> "environment variable " + name + " is not a setting of wire-backup and is ignored"
                        + keys.stream().filter(k -> distance(environmentName(k), name) <= 2).findFirst()
                            .map(k -> " (did you mean " + environmentName(k) + ", for " + k + "?)").orElse(""))
                .toList();
    }

    /** The variable that overrides a key: upper case, dots and dashes as underscores (Camel's rule). */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    Optional<String> nearest(String key) {
        return keys.stream().min(Comparator.comparingInt((String k) -> distance(key, k)).thenComparing(k -> k))
                .filter(k -> distance(key, k) <= Math.max(3, key.length() / 3));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
