package org.wirebackup.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** A record written as JSON whole (temp file, sync, rename), 0600 in a 0700 directory. */
public final class PrivateJsonFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PrivateJsonFile() {
    }

    public static Path write(Path dir, String name, Object value) throws IOException {
        Path target = PrivateFiles.createDirectories(dir).resolve(name);
        Path partial = DurableFiles.partialOf(target);
        try (FileChannel channel = PrivateFiles.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(value));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        DurableFiles.moveIntoPlace(partial, target);
        return target;
    }
}
