package org.stainbench.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL test set-up is written once ({@link PostgresTest}, issue 20): every {@code *PostgresIT} carries the
 * annotation, and none repeats the skip-or-fail check or the schema properties itself.
 */
class PostgresTestSetUpTest {

    static final Path TESTS = Path.of("src", "test", "java", "org", "stainbench");

    @Test
    void everyPostgresTestUsesTheOneSetUp() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> its;
        try (Stream<Path> files = Files.walk(TESTS)) {
            its = files.filter(f -> f.getFileName().toString().endsWith("PostgresIT.java"))
                    .sorted()
                    .toList();
        }
        for (Path f : its) {
            String src = Files.readString(f);
            boolean ownProcesses = src.contains("ProcessBuilder"); // starts the application itself, no Spring context
            if (!ownProcesses && !src.contains("@PostgresTest")) {
                problems.add(f.getFileName() + " is not a @PostgresTest");
            }
            if (src.contains("PostgresDatabase.register(") || src.contains("currentSchema=") && !ownProcesses) {
                problems.add(f.getFileName() + " sets up its schema itself");
            }
        }
        assertThat(its).hasSizeGreaterThan(10);
        assertThat(problems).isEmpty();
    }
}
