package org.stainbench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.stainbench.shell.CliCommand;

/**
 * Stainbench: experiment tracking for virtual immunohistochemistry.
 * Each sub-package is one feature module (see README, "Where is what").
 * With a first argument naming a {@link CliCommand} ({@code agent}, {@code metrics}, …) the jar runs
 * that command instead of the web server.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StainbenchApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].startsWith("-")) {
            var command = CliCommand.find(args[0]);
            if (command.isPresent()) {
                System.exit(command.get().run(java.util.Arrays.copyOfRange(args, 1, args.length)));
            }
            System.err.println(
                    "Unknown command '" + args[0] + "'. Without a command the web server starts.\n" + "Commands:");
            java.util.ServiceLoader.load(CliCommand.class)
                    .forEach(c -> System.err.println("  " + c.name() + "  " + c.usage()));
            System.exit(2);
        }
        SpringApplication.run(StainbenchApplication.class, args);
    }
}
