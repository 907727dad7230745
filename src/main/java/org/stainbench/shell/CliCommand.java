package org.stainbench.shell;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A command of the application jar that runs without the web server:
 * {@code java -jar stainbench.jar <name> [args…]}. Implementations are listed in
 * {@code META-INF/services/org.stainbench.shell.CliCommand} and need a public no-argument constructor.
 */
public interface CliCommand {

    /** The first argument that selects this command, e.g. {@code metrics}. */
    String name();

    /** One line for the usage message. */
    String usage();

    /** Runs the command with the arguments after its name; returns the process exit code. */
    int run(String[] args) throws Exception;

    static Optional<CliCommand> find(String name) {
        return ServiceLoader.load(CliCommand.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(c -> c.name().equals(name))
                .findFirst();
    }
}
