package org.wirebackup.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.wirebackup.crypto.AgeKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write a new age identity (X25519) to FILE, mode 0600, as age-keygen does, and print its public",
                "key (age1...) for backup.encryption.recipients. Keep FILE off the backup host, and keep at least two",
                "recipients, one offline: without an identity, its backups cannot be read.",
                "Exit status: 0 written, 2 FILE exists or cannot be written."})
final class KeygenCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "Where the identity goes; never overwritten.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            String publicKey = AgeKeys.generate(file);
            spec.commandLine().getErr().println("Public key: " + publicKey);
            spec.commandLine().getOut().println(publicKey);
            return WireBackupCli.OK;
        } catch (FileAlreadyExistsException e) {
            spec.commandLine().getErr().println("wire-backup: keygen: " + file + " exists: not overwritten");
        } catch (IOException e) {
            spec.commandLine().getErr().println("wire-backup: keygen: cannot write " + file + ": " + e.getMessage());
        }
        return WireBackupCli.USAGE;
    }
}
