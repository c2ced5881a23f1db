package org.wirebackup.destination;

/** S3Proxy's jclouds {@code filesystem} backend. */
class S3DestinationOnFilesystemTest extends S3DestinationContract {

    @Override
    String backend() {
        return "filesystem";
    }

    @Override
    String etagForm() {
        return "MD5 of the parts";
    }
}
