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
 * {@code stainbench.data-dir} reads {@code stainbench.test.data-dir}.
 */
public class TestDataDir implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var env = context.getEnvironment();
        if (env.getPropertySources().contains("stainbench-test-data-dir")) {
            return;
        }
        try {
            String dir = Files.createTempDirectory("stainbench-test-").toAbsolutePath().toString();
            env.getPropertySources().addFirst(new MapPropertySource("stainbench-test-data-dir",
                    Map.of("stainbench.test.data-dir", dir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
