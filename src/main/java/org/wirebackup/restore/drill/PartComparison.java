package org.wirebackup.restore.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.wirebackup.archive.TarEntryListing;

/** Where what a part restored on the scratch host differs from what the part holds, path by path. */
final class PartComparison {

    private PartComparison() {
    }

    static List<String> differences(Map<String, TarEntryListing.Entry> expected,
                                    Map<String, TarEntryListing.Entry> actual) {
        List<String> differences = new ArrayList<>();
        expected.forEach((name, want) -> {
            TarEntryListing.Entry got = actual.get(name);
            if (got == null) {
                differences.add(name + ": missing");
            } else if (got.type() != want.type()) {
                differences.add(name + ": a " + kind(got.type()) + ", the backup has a " + kind(want.type()));
            } else if (want.type() == 'f' && got.size() != want.size()) {
                differences.add(name + ": " + got.size() + " bytes, the backup has " + want.size());
            } else if (want.type() == 'f' && !want.sha256().equals(got.sha256())) {
                differences.add(name + ": sha256 " + got.sha256() + ", the backup has " + want.sha256());
            } else if (want.type() == 'l' && !want.link().equals(got.link())) {
                differences.add(name + ": links to " + got.link() + ", the backup to " + want.link());
            } else if (want.type() != 'l' && got.mode() != want.mode()) {
                differences.add(name + ": mode " + Integer.toOctalString(got.mode()) + ", the backup has "
                        + Integer.toOctalString(want.mode()));
            }
        });
        actual.forEach((name, got) -> {
            // a directory tar made for an entry whose parent the part does not list is no difference
            boolean parentOfEntry = got.type() == 'd' && expected.keySet().stream().anyMatch(e -> e.startsWith(name + "/"));
            if (!expected.containsKey(name) && !parentOfEntry) {
                differences.add(name + ": not in the backup");
            }
        });
        return differences;
    }

    private static String kind(char type) {
        return switch (type) {
            case 'f' -> "file";
            case 'd' -> "directory";
            case 'l' -> "symbolic link";
            default -> "'" + type + "'";
        };
    }
}
