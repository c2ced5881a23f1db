package org.wirebackup.destination;

/**
 * How big each part of a multipart upload is: the configured size, raised (to a whole MiB) when the object would
 * otherwise need more parts than S3 takes. S3's limits: parts of 5 MiB to 5 GiB, at most 10,000 of them, objects of
 * at most 5 TiB. With the default 64 MiB parts that is every copy up to 625 GiB; a 5 TiB copy takes 525 MiB parts.
 */
final class S3PartSize {

    static final long MIB = 1024L * 1024;
    static final long MIN_PART = 5 * MIB;
    static final long MAX_PART = 5 * 1024 * MIB;
    static final long MAX_OBJECT = 5L * 1024 * 1024 * MIB;
    static final int MAX_PARTS = 10_000;

    private S3PartSize() {
    }

    /**
     * @param objectBytes the whole object's size
     * @param configured  the destination's {@code partSize}
     * @param maxParts    the store's part-count limit ({@value #MAX_PARTS} for S3)
     * @throws DestinationException when the object is larger than S3 stores in one object
     */
    static long of(long objectBytes, long configured, int maxParts) throws DestinationException {
        if (objectBytes > MAX_OBJECT) {
            throw new DestinationException("the full backup is " + objectBytes + " bytes, more than the 5 TiB ("
                    + MAX_OBJECT + " bytes) S3 stores in one object; split the installation's backup (fewer sources"
                    + " per installation id) or copy it over SSH");
        }
        long needed = ceilToMib((objectBytes + maxParts - 1) / maxParts);
        return Math.min(MAX_PART, Math.max(MIN_PART, Math.max(configured, needed)));
    }

    static int partCount(long objectBytes, long partSize) {
        return (int) Math.max(1, (objectBytes + partSize - 1) / partSize);
    }

    private static long ceilToMib(long bytes) {
        return (bytes + MIB - 1) / MIB * MIB;
    }
}
