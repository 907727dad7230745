package org.stainbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.support.PostgresTest;

/**
 * The migrations on a real PostgreSQL: they apply, and Hibernate's {@code validate} accepts the
 * entity mapping (the context would not start otherwise). The H2 twin is {@link H2SchemaTest}.
 */
@SpringBootTest
@ActiveProfiles("test")
@PostgresTest
class PostgresSchemaIT {

    @Autowired
    Flyway flyway;

    @Autowired
    DataSource dataSource;

    @Test
    void migrationsApplyAndTheMappingValidates() throws Exception {
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(flyway.info().applied()).isNotEmpty();
        try (var c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        List<String> tables = new JdbcTemplate(dataSource)
                .queryForList(
                        "select table_name from information_schema.tables where table_schema = current_schema()",
                        String.class);
        assertThat(tables).contains("app_user", "machine_token");
        assertThat(new JdbcTemplate(dataSource)
                        .queryForObject("select count(*) from app_user where username = 'admin'", Long.class))
                .isEqualTo(1L);
    }
}
