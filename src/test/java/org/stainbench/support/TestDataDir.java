package org.stainbench.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every test application context its own data folder, fixed for the context's life (a
 * {@code ${random.uuid}} in the properties would be drawn anew at each lookup, so two beans could see two
 * folders). Registered in {@code META-INF/spring.factories} of the test classpath; the test profile's
 * {@code stainbench.data-dir} reads {@code stainbench.test.data-dir}. The folder is deleted when its context closes.
 */
public class TestDataDir implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var env = context.getEnvironment();
        if (env.getPropertySources().contains("stainbench-test-data-dir")) {
            return;
        }
        try {
            java.nio.file.Path folder =
                    Files.createTempDirectory("stainbench-test-").toAbsolutePath();
            env.getPropertySources()
                    .addFirst(new MapPropertySource(
                            "stainbench-test-data-dir", Map.of("stainbench.test.data-dir", folder.toString())));
            // the folder goes with its context (cached contexts close when the test JVM exits): a full run writes
            // gigabytes of demo tiles and archives that nothing reads afterwards
            context.addApplicationListener((org.springframework.context.ApplicationListener<
                            org.springframework.context.event.ContextClosedEvent>)
                    event -> {
                        if (event.getApplicationContext() == context) {
                            delete(folder);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(java.nio.file.Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a file still open on some platforms stays behind in the temp folder
        }
    }
}
