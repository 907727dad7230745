package org.stainbench.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * A Spring test on the real PostgreSQL ({@link PostgresDatabase}), written once: put it next to the class's
 * {@code @SpringBootTest} (or on a subclass of an H2 test, to run the same scenarios on PostgreSQL). The class is
 * skipped without {@code STAINBENCH_TEST_PG_URL} (fails under CI), and its context gets a fresh schema of its own, so
 * test classes never see each other's rows.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PostgresTest.Required.class)
@ContextCustomizerFactories(PostgresTest.Schema.class)
public @interface PostgresTest {

    /** Skips (or, under CI, fails) the class before anything starts when no PostgreSQL is given. */
    class Required implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            PostgresDatabase.require();
        }
    }

    /** Points the context of each {@code @PostgresTest} class at a schema of its own. */
    class Schema implements ContextCustomizerFactory {
        @Override
        public ContextCustomizer createContextCustomizer(
                Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
            return TestContextAnnotationUtils.hasAnnotation(testClass, PostgresTest.class)
                    ? new FreshSchema(testClass)
                    : null;
        }
    }

    /** One per test class (its equality is the class's), so no two classes share a context and a schema. */
    record FreshSchema(Class<?> testClass) implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            if (PostgresDatabase.given()) {
                context.getEnvironment()
                        .getPropertySources()
                        .addFirst(new MapPropertySource("postgres-test-schema", PostgresDatabase.properties()));
            }
        }
    }
}
