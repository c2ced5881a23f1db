package org.wirebackup.destination;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multipart uploads a run started and has not yet completed or aborted, one line each in its run directory
 * ({@code runs/<run id>/s3-uploads}), written before the first part goes up. A run that is killed leaves its lines
 * behind; the next copy to the same bucket aborts those uploads by their ids, so an upload survives neither a killed
 * process nor a store that does not list incomplete uploads.
 */
final class UploadJournal {

    static final String FILE = org.wirebackup.run.RunRecordStore.UPLOAD_JOURNAL;
    private static final Logger LOG = LoggerFactory.getLogger(UploadJournal.class);
    /** Copies to several buckets run at once and share the run's journal. */
    private static final Object LOCK = new Object();

    /** One upload: where, and its id. */
    record Entry(String endpoint, String bucket, String key, String uploadId) {

        String line() {
            return String.join("\t", endpoint, bucket, key, uploadId);
        }

        static Entry parse(String line) {
            String[] fields = line.split("\t", -1);
            return fields.length == 4 ? new Entry(fields[0], fields[1], fields[2], fields[3]) : null;
        }
    }

    /** An entry of an earlier run's journal. */
    record Left(Path journal, String runId, Entry entry) {
    }

    private final Path runDir;

    /** @param runDir the running run's directory; null when the copy runs outside a run (nothing is kept) */
    UploadJournal(Path runDir) {
        this.runDir = runDir;
    }

    void started(Entry entry) throws IOException {
        if (runDir == null) {
            return;
        }
        synchronized (LOCK) {
            Files.writeString(runDir.resolve(FILE), entry.line() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        }
    }

    /** The upload was completed or aborted: its line goes. */
    void ended(Entry entry) {
        if (runDir != null) {
            remove(runDir.resolve(FILE), entry);
        }
    }

    /** The uploads earlier runs (the other directories beside this run's) started in that bucket and left. */
    List<Left> leftByEarlierRuns(String endpoint, String bucket) {
        List<Left> left = new ArrayList<>();
        if (runDir == null || runDir.getParent() == null) {
            return left;
        }
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(runDir.getParent())) {
            for (Path run : runs) {
                Path journal = run.resolve(FILE);
                if (run.equals(runDir) || !Files.isRegularFile(journal)) {
                    continue;
                }
                for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                    Entry entry = Entry.parse(line);
                    if (entry != null && entry.endpoint().equals(endpoint) && entry.bucket().equals(bucket)) {
                        left.add(new Left(journal, run.getFileName().toString(), entry));
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot read the journals of earlier runs' uploads in {}: {}", runDir.getParent(), e.getMessage());
        }
        return left;
    }

    void forget(Left left) {
        remove(left.journal(), left.entry());
    }

    private static void remove(Path journal, Entry entry) {
        synchronized (LOCK) {
            removeLocked(journal, entry);
        }
    }

    private static void removeLocked(Path journal, Entry entry) {
        try {
            if (!Files.exists(journal)) {
                return;
            }
            List<String> rest = Files.readAllLines(journal, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.equals(entry.line()) && !l.isBlank()).toList();
            if (rest.isEmpty()) {
                Files.delete(journal);
            } else {
                Files.write(journal, rest, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            LOG.warn("Cannot update {}: {}", journal, e.getMessage());
        }
    }
}
