package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.support.PostgresTest;

/**
 * Issue 19, item 1 on a real PostgreSQL (V62): logged models with params, tags and run outputs, the metrics of their
 * output step, dataset inputs (text columns, unique per experiment, name and digest) and the {@code datasets.*} search
 * hook's SQL (IN, LIKE … ESCAPE, ILIKE, the context subquery).
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=3")
@ActiveProfiles("test")
@DirtiesContext
@PostgresTest
class LoggedModelsPostgresIT {

    @Autowired
    TrackingStore store;

    @Autowired
    LoggedModelStore models;

    @Autowired
    RunInputStore inputs;

    @Autowired
    DataSource dataSource;

    @Test
    void loggedModelsAndInputsOnPostgres() throws Exception {
        try (var c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        long exp = store.createExperiment("lmpg-" + System.nanoTime(), null, Map.of());
        Tracking.RunInfo run = store.createRun(exp, "pg", 1_700_000_000_000L, "lm-pg", Map.of());
        Tracking.RunInfo other = store.createRun(exp, "pg", 1_700_000_000_001L, "lm-pg-2", Map.of());
        store.logMetric(run, new Tracking.Metric("loss", 0.5, 1, 1));
        store.logMetric(run, new Tracking.Metric("loss", 0.25, 2, 2));
        LoggedModelStore.Model m =
                models.create(exp, "lora", "lora", run.uuid(), "pg", Map.of("lora_rank", "4"), Map.of("release", "v1"));
        models.logOutput(run, m, 2);
        models.logOutput(run, m, 2);
        models.setTag(m.pk(), "release", "v2");
        models.finalize(m, LoggedModelStore.READY, null);
        LoggedModelStore.Model got = models.require(m.modelId());
        assertThat(got.status()).isEqualTo(LoggedModelStore.READY);
        assertThat(got.tags()).containsEntry("release", "v2");
        assertThat(got.params()).containsEntry("lora_rank", "4");
        assertThat(models.metrics(got, store))
                .extracting(Tracking.Metric::value)
                .containsExactly(0.25);
        assertThat(models.outputs(run.id())).containsExactly(new LoggedModelStore.Output(m.modelId(), 2));
        assertThat(models.ofExperiments(List.of(exp))).hasSize(1);

        String schema = "{\"mlflow_tensorspec\": {\"features\": \"" + "x".repeat(20_000) + "\"}}";
        var ck7 = new RunInputStore.DatasetInput(
                new RunInputStore.Dataset(
                        "ck7_train",
                        "5d1a3c9e",
                        "local",
                        "{\"uri\": \"/data/ck7.npz\"}",
                        schema,
                        "{\"features_shape\": [10, 3, 64, 64]}"),
                Map.of(RunInputStore.CONTEXT_TAG, "training"));
        inputs.log(run, List.of(ck7));
        inputs.log(run, List.of(ck7));
        inputs.log(
                other,
                List.of(new RunInputStore.DatasetInput(
                        new RunInputStore.Dataset("HER2 test", "77aa01bc", "local", "{}", null, null),
                        Map.of(RunInputStore.CONTEXT_TAG, "eval"))));
        inputs.logModelInput(other, m);
        assertThat(inputs.datasets(run.id())).singleElement().satisfies(d -> {
            assertThat(d.dataset().schema()).isEqualTo(schema);
            assertThat(d.tags()).containsEntry(RunInputStore.CONTEXT_TAG, "training");
        });
        assertThat(inputs.modelInputs(other.id())).containsExactly(m.modelId());
        List<Long> e = List.of(exp);
        assertThat(inputs.runsMatching(e, "name", "IN", List.of("ck7_train", "x")))
                .containsExactly(run.uuid());
        assertThat(inputs.runsMatching(e, "name", "LIKE", List.of("ck7\\_%"))).containsExactly(run.uuid());
        assertThat(inputs.runsMatching(e, "name", "LIKE", List.of("ck7!_%"))).isEmpty();
        assertThat(inputs.runsMatching(e, "name", "ILIKE", List.of("her2%"))).containsExactly(other.uuid());
        assertThat(inputs.runsMatching(e, "context", "NOT IN", List.of("training")))
                .containsExactly(other.uuid());
        assertThat(inputs.runsMatching(e, "digest", "!=", List.of("5d1a3c9e"))).containsExactly(other.uuid());
        assertThatThrownBy(() -> inputs.runsMatching(e, "size", "=", List.of("1")))
                .isInstanceOf(MlflowException.class);

        models.delete(got);
        assertThat(models.find(m.modelId())).isEmpty();
        assertThat(models.outputs(run.id())).isEmpty();
    }
}
