package org.wirebackup.archive;

import java.nio.charset.StandardCharsets;

/**
 * One 512-byte tar header block, read as GNU tar reads it: the checksum (unsigned or signed sum), the size field in
 * octal or in GNU's base-256 form (which tar writers use from 8 GiB on), the type flag and the name (with the ustar
 * prefix). A size that is neither is {@link #UNREADABLE}; a negative base-256 size is {@link #NEGATIVE}.
 */
record TarHeader(boolean checksumMatches, long size, byte type, String name) {

    static final int BLOCK = 512;
    static final long UNREADABLE = -1;
    static final long NEGATIVE = -2;

    /** PAX extended header for the next entry, and a global one. */
    static final byte PAX_NEXT = 'x';
    static final byte PAX_GLOBAL = 'g';
    /** GNU long name and long link name of the next entry. */
    static final byte GNU_LONG_NAME = 'L';
    static final byte GNU_LONG_LINK = 'K';

    static TarHeader parse(byte[] block) {
        return new TarHeader(checksumMatches(block), size(block), block[156], name(block));
    }

    static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether data blocks follow the header: every type but links, devices, directories and FIFOs. */
    boolean hasData() {
        return type != '1' && type != '2' && type != '3' && type != '4' && type != '5' && type != '6';
    }

    /** A header whose data describes the next entry (PAX, GNU long names), not an entry of its own. */
    boolean isMeta() {
        return type == PAX_NEXT || type == PAX_GLOBAL || type == GNU_LONG_NAME || type == GNU_LONG_LINK;
    }

    private static boolean checksumMatches(byte[] block) {
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        long recorded = octal(block, 148, 8);
        return recorded == unsigned || recorded == signed;
    }

    /**
     * GNU tar's rule: a first byte of 0x80 starts a positive base-256 number in the remaining eleven bytes, 0xff a
     * negative one; anything else is octal digits padded with spaces or NULs.
     */
    private static long size(byte[] block) {
        int first = block[124] & 0xff;
        if (first == 0x80) {
            long value = 0;
            for (int i = 125; i < 136; i++) {
                if ((value >>> 55) != 0) {
                    return UNREADABLE;
                }
                value = (value << 8) | (block[i] & 0xff);
            }
            return value;
        }
        if (first == 0xff) {
            return NEGATIVE;
        }
        return octal(block, 124, 12);
    }

    /** An octal field: digits, padded with spaces or NULs; -1 when it is not one. */
    private static long octal(byte[] block, int offset, int length) {
        long value = 0;
        boolean digits = false;
        for (int i = offset; i < offset + length; i++) {
            byte b = block[i];
            if (b >= '0' && b <= '7') {
                value = value * 8 + (b - '0');
                digits = true;
            } else if (b == ' ' || b == 0) {
                if (digits) {
                    break;
                }
            } else {
                return UNREADABLE;
            }
        }
        return digits ? value : UNREADABLE;
    }

    private static String name(byte[] block) {
        String name = field(block, 0, 100);
        boolean ustar = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
                && block[261] == 'r' && block[262] == 0;
        String prefix = ustar ? field(block, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String field(byte[] block, int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }
}
