package org.wirebackup.archive;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The records of a PAX extended header ({@code "%d %s=%s\n"}, the length counting the whole record), read as GNU tar
 * reads them: a record whose length does not end on its newline, that has no {@code =}, or whose length is no number
 * makes the whole header damaged.
 */
final class PaxRecords {

    private PaxRecords() {
    }

    /** The keywords and values, or throws {@link IllegalArgumentException} saying what is damaged. */
    static Map<String, String> parse(byte[] data, int length) {
        Map<String, String> records = new HashMap<>();
        int at = 0;
        while (at < length) {
            if (data[at] == 0) {
                // writers pad the last block with NULs after the records
                for (int i = at; i < length; i++) {
                    if (data[i] != 0) {
                        throw new IllegalArgumentException("a PAX record at byte " + at + " follows NUL padding");
                    }
                }
                break;
            }
            int space = at;
            long recordLength = 0;
            while (space < length && data[space] >= '0' && data[space] <= '9') {
                recordLength = recordLength * 10 + (data[space] - '0');
                if (recordLength > length) {
                    throw new IllegalArgumentException("the PAX record at byte " + at + " claims more bytes than the"
                            + " header holds");
                }
                space++;
            }
            if (space == at || space >= length || data[space] != ' ') {
                throw new IllegalArgumentException("the PAX record at byte " + at + " does not start with its length");
            }
            int end = (int) (at + recordLength);
            if (recordLength <= space - at + 1 || end > length || data[end - 1] != '\n') {
                throw new IllegalArgumentException("the PAX record at byte " + at + " does not end where its length"
                        + " says");
            }
            String record = new String(data, space + 1, end - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("the PAX record at byte " + at + " has no keyword=value");
            }
            records.put(record.substring(0, equals), record.substring(equals + 1));
            at = end;
        }
        return records;
    }

    /** A PAX {@code size} value: decimal digits only, as GNU tar accepts it. */
    static long size(String value) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("the PAX size '" + value + "' is no size");
        }
        return Long.parseLong(value);
    }
}
