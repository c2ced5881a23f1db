package org.wirebackup.run;

/**
 * Asked right before a run publishes anything (links a copy into place, completes an upload, prunes): it still holds
 * the installation's lock, or it stops there. In a cluster another instance may have taken the lock while this one
 * was stopped or cut off; what it publishes then could overwrite or prune that instance's work.
 */
@FunctionalInterface
public interface Fence {

    /** Without a cluster the local run lock is all: it cannot be lost while the process lives. */
    Fence NONE = action -> { };

    /** @throws LockLostException when the lock is no longer this run's: {@code action} must not happen */
    void check(String action) throws LockLostException;

    /** The installation's lock was lost while a run held it. */
    final class LockLostException extends Exception {
        public LockLostException(String message) {
            super(message);
        }
    }
}
