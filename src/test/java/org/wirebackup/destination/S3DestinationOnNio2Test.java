package org.wirebackup.destination;

/** S3Proxy's jclouds {@code filesystem-nio2} backend. */
class S3DestinationOnNio2Test extends S3DestinationContract {

    @Override
    String backend() {
        return "filesystem-nio2";
    }

    @Override
    String etagForm() {
        return "MD5 of the object";
    }
}
