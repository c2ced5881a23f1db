package org.wirebackup.ssh;

/** Quotes values for a POSIX shell so that nothing in them is ever interpreted. */
public final class ShellQuoting {

    private ShellQuoting() {
    }

    /** Wraps the value in single quotes; each single quote inside becomes {@code '\''}. */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be passed to a shell");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            // some login shells (csh) cannot take a newline inside quotes; no path or name needs one
            throw new IllegalArgumentException("a line break cannot be passed to a remote shell");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
