package org.stainbench.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.shell.Dependants;
import org.stainbench.shell.Trash;
import org.stainbench.support.PostgresTest;

/**
 * The soft-delete and dependants SQL on a real PostgreSQL: every module's dependants query (checkpoints, evaluation,
 * review, training runs, slide tilings) finds its row, a blocked delete changes nothing, and delete / trash / restore
 * work on PostgreSQL's timestamps.
 */
@SpringBootTest(properties = "spring.datasource.hikari.maximum-pool-size=3")
@ActiveProfiles("test")
// the shared PostgreSQL has few connection slots: close this class's context (and its pool) when it is done
@DirtiesContext
@PostgresTest
class SoftDeletePostgresIT {

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    List<Trash> trash;

    @Test
    void dependantsBlockAndDeleteAndRestoreWorkOnPostgres() throws Exception {
        try (var c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        long ds = catalog.createDataset("PG soft", Stain.IHC, "CK7", "pg", 64, null, "pg");
        Timestamp now = Timestamp.from(Instant.now());

        // one referring row per module, written as each module writes it
        Checkpoint ck = checkpoints.register(
                new Checkpoints.NewCheckpoint("pg-trained", null, "none", null, null, null, null, null, ds, null, null),
                null,
                null,
                null,
                "pg");
        long ev = jdbc.sql(
                        "insert into evaluation (name, origin, status, real_dataset_id, protocol, created_by, created_at) "
                                + "values ('pg eval', 'COMPUTED', 'DONE', ?, '{}', 'pg', ?) returning id")
                .params(ds, now)
                .query(Long.class)
                .single();
        jdbc.sql("insert into evaluation_subject (evaluation_id, position, label, checkpoint_id) values (?, 0, 'x', ?)")
                .params(ev, ck.id())
                .update();
        long session = jdbc.sql("insert into review_session (name, mode, instructions, show_source, selection, "
                        + "source_dataset_id, per_checkpoint, real_count, repeat_percent, seed, created_by, created_at) "
                        + "values ('pg review', 'LIKERT', 'i', false, 'RANDOM', ?, 1, 0, 0, 1, 'pg', ?) returning id")
                .params(ds, now)
                .query(Long.class)
                .single();
        jdbc.sql("insert into review_item (session_id, position, token, kind, checkpoint_id, image_a) "
                        + "values (?, 0, 'pg-token', 'GENERATED', ?, 'pg-image')")
                .params(session, ck.id())
                .update();
        long exp = jdbc.sql(
                        "insert into experiment (name, artifact_location, lifecycle_stage, creation_time, last_update_time) "
                                + "values ('pg-exp', 'x', 'active', 0, 0) returning id")
                .query(Long.class)
                .single();
        long run = jdbc.sql(
                        "insert into tracked_run (run_uuid, experiment_id, run_name, status, lifecycle_stage, artifact_uri) "
                                + "values ('pgrun1', ?, 'pg run', 'FINISHED', 'active', 'x') returning id")
                .param(exp)
                .query(Long.class)
                .single();
        jdbc.sql("insert into run_tag (run_id, tag_key, tag_value) values (?, 'stainbench.dataset_id', ?)")
                .params(run, Long.toString(ds))
                .update();
        long slide = jdbc.sql(
                        "insert into slide (name, source, path, size_bytes, width, height, levels, label, created_by, "
                                + "created_at) values ('pg.svs', 'PATH', '/x', 1, 1, 1, '[]', 'NONE', 'pg', ?) returning id")
                .param(now)
                .query(Long.class)
                .single();
        jdbc.sql("insert into slide_tiling (slide_id, dataset_id, state, level, tile_size, overlap, min_laplacian, "
                        + "min_saturated, max_white, colour_cast, exclude_outside, plain, created_by, created_at) "
                        + "values (?, ?, 'DONE', 0, 64, 0, 0, 0, 1, false, false, false, 'pg', ?)")
                .params(slide, ds, now)
                .update();

        assertThat(catalog.dependantsOf(ds))
                .extracting(Dependants.Dependant::kind, Dependants.Dependant::href)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("checkpoint", "/checkpoints/" + ck.id()),
                        org.assertj.core.groups.Tuple.tuple("evaluation", "/evaluations/" + ev),
                        org.assertj.core.groups.Tuple.tuple("review session", "/review/sessions/" + session),
                        org.assertj.core.groups.Tuple.tuple("training run", "/runs/pgrun1"),
                        org.assertj.core.groups.Tuple.tuple("slide tiling", "/slides/" + slide));
        assertThat(checkpoints.dependantsOf(ck.id()))
                .extracting(Dependants.Dependant::kind)
                .containsExactlyInAnyOrder("evaluation", "review session");

        assertThatThrownBy(() -> catalog.deleteDataset(ds, "pg"))
                .isInstanceOf(Dependants.Blocked.class)
                .hasMessageContaining("pg-trained");
        assertThatThrownBy(() -> checkpoints.delete(ck.id(), "pg")).isInstanceOf(Dependants.Blocked.class);
        assertThat(catalog.dataset(ds)).isPresent();
        assertThat(checkpoints.find(ck.id())).isPresent();

        // remove the other modules' references; the checkpoint (deleted) no longer blocks
        jdbc.sql("delete from slide_tiling where slide_id = ?").param(slide).update();
        jdbc.sql("delete from run_tag where run_id = ?").param(run).update();
        jdbc.sql("delete from review_item where session_id = ?").param(session).update();
        jdbc.sql("delete from review_session where id = ?").param(session).update();
        jdbc.sql("delete from evaluation_subject where evaluation_id = ?")
                .param(ev)
                .update();
        jdbc.sql("delete from evaluation where id = ?").param(ev).update();
        checkpoints.delete(ck.id(), "pg");
        assertThat(catalog.dependantsOf(ds)).isEmpty();
        catalog.deleteDataset(ds, "pg");

        assertThat(catalog.datasets()).extracting(Dataset::id).doesNotContain(ds);
        assertThat(checkpoints.all()).extracting(Checkpoint::id).doesNotContain(ck.id());
        List<Trash.Deleted> deleted =
                trash.stream().flatMap(t -> t.deleted().stream()).toList();
        assertThat(deleted)
                .extracting(Trash.Deleted::kind, Trash.Deleted::id)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("dataset", ds),
                        org.assertj.core.groups.Tuple.tuple("checkpoint", ck.id()));
        assertThat(deleted).allMatch(d -> d.deletedBy().equals("pg") && d.deletedAt() != null);

        trash.stream()
                .filter(t -> t.kind().equals("dataset"))
                .findFirst()
                .orElseThrow()
                .restore(ds, "pg-admin");
        trash.stream()
                .filter(t -> t.kind().equals("checkpoint"))
                .findFirst()
                .orElseThrow()
                .restore(ck.id(), "pg-admin");
        assertThat(catalog.dataset(ds)).get().extracting(Dataset::deletedAt).isNull();
        assertThat(checkpoints.find(ck.id())).isPresent();
        assertThat(catalog.dependantsOf(ds))
                .extracting(Dependants.Dependant::kind)
                .containsExactly("checkpoint");
        assertThat(jdbc.sql(
                                "select count(*) from activity where action in ('deleted', 'restored') and actor like 'pg%'")
                        .query(Long.class)
                        .single())
                .isEqualTo(4);
    }
}
