package org.wirebackup.restore.drill;

import static org.wirebackup.ssh.ShellQuoting.quote;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.wirebackup.archive.TarEntryListing;
import org.wirebackup.ssh.RemoteCommandException;
import org.wirebackup.ssh.RemoteCommandRunner;
import org.wirebackup.ssh.SshTarget;

/**
 * What a directory on the scratch host holds, path by path, as {@link TarEntryListing} describes a part: read with
 * {@code find -printf} and {@code sha256sum}, NUL-separated so that no file name can break the listing.
 */
final class ScratchListing {

    /** A listing of a few million paths stays within this; a larger one fails the drill, saying so. */
    static final int MAX_BYTES = 256 * 1024 * 1024;

    private ScratchListing() {
    }

    static Map<String, TarEntryListing.Entry> read(RemoteCommandRunner ssh, SshTarget host, String dir)
            throws RemoteCommandException {
        String cd = "cd -- " + quote(dir) + " && ";
        String[] listing = ssh.runForText(host, cd + "find . -mindepth 1 -printf '%y %m %s\\0%P\\0%l\\0'", MAX_BYTES)
                .split("\0", -1);
        String[] sums = ssh.runForText(host, cd + "find . -type f -print0 | xargs -0 -r sha256sum -z", MAX_BYTES)
                .split("\0", -1);
        Map<String, String> sha256 = new HashMap<>();
        for (String line : sums) {
            if (line.length() > 66) {
                sha256.put(TarEntryListing.normalized(line.substring(66)), line.substring(0, 64));
            }
        }
        Map<String, TarEntryListing.Entry> entries = new TreeMap<>();
        for (int i = 0; i + 2 < listing.length; i += 3) {
            String[] fields = listing[i].split(" ");
            char type = fields[0].charAt(0);
            int mode = Integer.parseInt(fields[1], 8);
            String name = listing[i + 1];
            entries.put(name, switch (type) {
                case 'f' -> new TarEntryListing.Entry('f', mode, Long.parseLong(fields[2]), sha256.get(name), null);
                case 'd' -> new TarEntryListing.Entry('d', mode, 0, null, null);
                case 'l' -> new TarEntryListing.Entry('l', 0, 0, null, listing[i + 2]);
                default -> new TarEntryListing.Entry(type, mode, 0, null, null);
            });
        }
        return entries;
    }
}
