package org.wirebackup.restore;

import static org.wirebackup.ssh.ShellQuoting.quote;

import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;

/**
 * What is at a directory target now, read over SSH without changing anything, and the free space where it would be
 * extracted. Unknown is unsafe: whatever the check could not establish is {@link State#CANNOT_BE_READ}.
 *
 * @param detail     why it cannot be read; null otherwise
 * @param freeBytes  free space on the file system the directory is (or would be) in; -1 when unknown
 * @param mountPoint whether the directory is a mount point: it cannot be moved aside, only what it holds
 */
public record TargetState(State state, String detail, long freeBytes, boolean mountPoint) {

    /** What a restore moves a mount point's contents into, inside it: the same file system, a rename. */
    public static final String ASIDE_IN_MOUNT = ".wire-backup-before-restore-";

    /** What a restore may do with a target: only {@link #MISSING} and {@link #EMPTY} are extracted into as they are. */
    public enum State {
        MISSING("missing"),
        EMPTY("empty"),
        /** Holds something, or is something other than a directory (a file, a link). */
        NOT_EMPTY("not empty"),
        /** Could not be looked into: no permission, the host did not answer, an answer we did not expect. */
        CANNOT_BE_READ("cannot be read");

        private final String words;

        State(String words) {
            this.words = words;
        }

        /** Whether extracting into it as it is loses nothing. */
        public boolean isSafeAsItIs() {
            return this == MISSING || this == EMPTY;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /**
     * One line per answer: {@code missing}, {@code empty}, {@code not-empty} or {@code unreadable}; {@code mount} or
     * {@code dir}; then the free KiB. A directory is empty only when {@code find} could list it and found nothing
     * (but what an earlier restore moved aside in it, when it is a mount point): a listing that failed is "cannot be
     * read", never "empty".
     */
    private static final String SCRIPT = "d=%s; if [ ! -e \"$d\" ] && [ ! -L \"$d\" ]; then echo missing;"
            + " elif [ -L \"$d\" ] || [ ! -d \"$d\" ]; then echo not-empty;"
            + " elif first=$(find \"$d\" -mindepth 1 -maxdepth 1 ! -name '" + ASIDE_IN_MOUNT + "*' -print -quit"
            + " 2>/dev/null); then if [ -z \"$first\" ]; then echo empty; else echo not-empty; fi;"
            + " else echo unreadable; fi;"
            // the parent by name: "$d/.." cannot be looked up in a directory the user may not search
            + " dev=$(stat -c %%d -- \"$d\" 2>/dev/null); up=$(stat -c %%d -- \"$(dirname -- \"$d\")\" 2>/dev/null);"
            + " if [ -d \"$d\" ] && [ ! -L \"$d\" ] && [ -n \"$dev\" ] && [ -n \"$up\" ] && [ \"$dev\" != \"$up\" ];"
            + " then echo mount; else echo dir; fi;"
            + " p=\"$d\"; while [ ! -d \"$p\" ]; do p=$(dirname -- \"$p\"); done;"
            + " df -Pk -- \"$p\" 2>/dev/null | awk 'NR==2 { print $4 }'";

    public static TargetState of(RemoteCommandRunner ssh, RestoreTarget target) {
        try {
            String[] lines = ssh.runForText(target.host(), String.format(SCRIPT, quote(target.path())), 4096).strip()
                    .split("\n");
            boolean mount = lines.length > 1 && lines[1].strip().equals("mount");
            long free = lines.length > 2 && lines[2].strip().matches("\\d{1,15}")
                    ? Long.parseLong(lines[2].strip()) * 1024 : -1;
            return switch (lines[0].strip()) {
                case "missing" -> new TargetState(State.MISSING, null, free, false);
                case "empty" -> new TargetState(State.EMPTY, null, free, mount);
                case "not-empty" -> new TargetState(State.NOT_EMPTY, null, free, mount);
                case "unreadable" -> new TargetState(State.CANNOT_BE_READ, "the SSH user " + target.host().user()
                        + " cannot list it", free, mount);
                default -> new TargetState(State.CANNOT_BE_READ, "unexpected answer '" + lines[0].strip() + "'", free,
                        mount);
            };
        } catch (RemoteCommandException e) {
            return new TargetState(State.CANNOT_BE_READ, e.getMessage(), -1, false);
        }
    }

    public String describe() {
        return state + (detail == null ? "" : " (" + detail + ")") + (mountPoint ? ", a mount point" : "");
    }
}
