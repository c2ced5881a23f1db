package org.wirebackup.destination;

/** A copy to a destination that failed; the message names the destination and the cause. */
public class DestinationException extends Exception {

    public DestinationException(String message) {
        super(message);
    }

    public DestinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
