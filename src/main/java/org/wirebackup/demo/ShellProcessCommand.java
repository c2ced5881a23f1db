package org.wirebackup.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Runs an exec request as {@code /bin/sh -c COMMAND}, the way OpenSSH's sshd hands it to the login shell (MINA's
 * stock ProcessShellCommandFactory splits the command on spaces instead), and pumps the three streams.
 */
final class ShellProcessCommand implements Command {

    private static final int BUFFER = 64 * 1024;

    private final String command;
    private final List<String> prefix;
    private final Path workingDirectory;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exitCallback;
    private volatile Process process;

    ShellProcessCommand(String command, List<String> prefix, Path workingDirectory) {
        this.command = command;
        this.prefix = prefix;
        this.workingDirectory = workingDirectory;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exitCallback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("/bin/sh", "-c", command));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDirectory.toFile());
        Process started = builder.start();
        process = started;
        Thread stdin = pump("stdin", in, started.getOutputStream(), true);
        Thread stdout = pump("stdout", started.getInputStream(), out, false);
        Thread stderr = pump("stderr", started.getErrorStream(), err, false);
        Thread waiter = new Thread(() -> {
            try {
                int status = started.waitFor();
                stdout.join();
                stderr.join();
                stdin.interrupt();
                exitCallback.onExit(status);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sshd-exec-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    private static Thread pump(String name, InputStream from, OutputStream to, boolean closeTarget) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[BUFFER];
            try {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // the other side went away: the process or the channel ended
            } finally {
                if (closeTarget) {
                    try {
                        to.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }
        }, "sshd-exec-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
