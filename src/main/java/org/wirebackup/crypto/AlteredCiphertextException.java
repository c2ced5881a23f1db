package org.wirebackup.crypto;

import java.io.IOException;

/**
 * An age chunk of an encrypted full backup does not authenticate: its bytes are not those the backup wrote (changed
 * at rest or in transit, with or without its {@code .sha256}, or cut short). Nothing of it may be used.
 */
public final class AlteredCiphertextException extends IOException {

    AlteredCiphertextException(String message, Throwable cause) {
        super(message, cause);
    }
}
