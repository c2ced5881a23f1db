package org.wirebackup.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The part size of an S3 copy: never more than 10,000 parts, up to S3's 5 TiB object limit. */
class S3PartSizeTest {

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;
    private static final long DEFAULT = 64 * MIB;

    @ParameterizedTest(name = "{0} bytes with {1}-byte parts configured: {2}-byte parts")
    @CsvSource({
            // small copies keep the configured size
            "0,              67108864, 67108864",
            "12582912,       5242880,  5242880",
            // 10,000 parts of 64 MiB: the largest copy the default takes as configured
            "671088640000,   67108864, 67108864",
            // one byte more: 64 MiB + 1 byte per part would do, rounded up to a whole MiB
            "671088640001,   67108864, 68157440",
            // 640 GiB + 1 MiB, just past the old fixed size's limit
            "687195815936,   67108864, 69206016",
            // 1 TiB
            "1099511627776,  67108864, 110100480",
            // S3's largest object, 5 TiB: 525 MiB parts
            "5497558138880,  67108864, 550502400",
            // a larger configured size is kept
            "5497558138880,  1073741824, 1073741824"})
    void sizesPartsSoThatNoUploadNeedsMoreThan10000(long bytes, long configured, long expected) throws Exception {
        long partSize = S3PartSize.of(bytes, configured, S3PartSize.MAX_PARTS);

        assertThat(partSize).isEqualTo(expected);
        assertThat(partSize % MIB).isZero();
        assertThat(S3PartSize.partCount(bytes, partSize)).isLessThanOrEqualTo(10_000);
        assertThat(partSize).isBetween(5 * MIB, 5 * GIB);
    }

    @Test
    void everyCopySizeUpTo5TiBFitsIn10000Parts() throws Exception {
        for (long bytes = 1; bytes <= 5 * 1024 * GIB; bytes = bytes * 3 + 7) {
            long partSize = S3PartSize.of(bytes, DEFAULT, S3PartSize.MAX_PARTS);
            assertThat(S3PartSize.partCount(bytes, partSize)).as("%d bytes", bytes).isLessThanOrEqualTo(10_000);
        }
        long largest = 5 * 1024 * GIB;
        assertThat(S3PartSize.partCount(largest, S3PartSize.of(largest, DEFAULT, S3PartSize.MAX_PARTS)))
                .isEqualTo(9987);
    }

    @Test
    void aCopyLargerThanS3TakesInOneObjectIsRefusedByName() {
        assertThatThrownBy(() -> S3PartSize.of(5 * 1024 * GIB + 1, DEFAULT, S3PartSize.MAX_PARTS))
                .isInstanceOf(DestinationException.class)
                .hasMessageContaining("5497558138881 bytes, more than the 5 TiB");
    }
}
