package org.wirebackup.config;

/** A setting that stops start-up; the message names the key and says what is wrong with its value. */
public class ConfigurationException extends RuntimeException {

    private final String key;

    public ConfigurationException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public ConfigurationException(String key, String problem, Throwable cause) {
        super(key + ": " + problem, cause);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
