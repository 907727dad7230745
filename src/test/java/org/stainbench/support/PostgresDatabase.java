package org.stainbench.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real PostgreSQL that integration tests use, given by {@code STAINBENCH_TEST_PG_URL}
 * (plus {@code _USER}, {@code _PASSWORD}); {@code .ci/run} starts one and sets them.
 * Without the URL the tests are skipped with a message, except under CI, where they fail.
 * Each caller gets its own schema, so test classes never see each other's rows.
 */
public final class PostgresDatabase {

    public static final String URL_VARIABLE = "STAINBENCH_TEST_PG_URL";

    private PostgresDatabase() {}

    /** Call from {@code @BeforeAll}: skips (or, under CI, fails) when no PostgreSQL is given. */
    public static void require() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(URL_VARIABLE + " is not set under CI: .ci/run must start PostgreSQL");
            }
            Assumptions.abort("PostgreSQL tests skipped: set " + URL_VARIABLE
                    + " (e.g. jdbc:postgresql://127.0.0.1:15432/sb) to run them, as .ci/run does");
        }
    }

    /** Whether a test database is given ({@code STAINBENCH_TEST_PG_URL}). */
    public static boolean given() {
        String url = System.getenv(URL_VARIABLE);
        return url != null && !url.isBlank();
    }

    /** Points Spring at a fresh schema of the test database. */
    public static void register(DynamicPropertyRegistry registry) {
        properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The Spring properties of a fresh schema of the test database ({@link PostgresTest} uses them). */
    public static Map<String, Object> properties() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = System.getenv(URL_VARIABLE);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        p.put("spring.datasource.username", env("STAINBENCH_TEST_PG_USER", "sb"));
        p.put("spring.datasource.password", env("STAINBENCH_TEST_PG_PASSWORD", "sb"));
        p.put("spring.flyway.default-schema", schema);
        p.put("spring.flyway.schemas", schema);
        p.put("spring.flyway.create-schemas", "true");
        // cached test contexts keep their pools open: a small pool each keeps a full run well under max_connections
        p.put("spring.datasource.hikari.maximum-pool-size", "6");
        p.put("spring.datasource.hikari.minimum-idle", "1");
        return p;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
