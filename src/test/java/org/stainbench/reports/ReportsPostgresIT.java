package org.stainbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.evaluation.ComparisonTable;
import org.stainbench.evaluation.Metric;
import org.stainbench.support.PostgresTest;

/**
 * The report SQL on a real PostgreSQL: reports and blocks round-trip (settings and snapshots as text, nullable columns),
 * positions, freezing only a draft, paging, and the search over titles and text blocks with LIKE wildcards escaped.
 */
// closed after the class: every cached PostgreSQL context holds a pool of connections, and a Failsafe run with all of
// them open came close to the server's max_connections (100)
@SpringBootTest
@ActiveProfiles("test")
@DirtiesContext
@PostgresTest
class ReportsPostgresIT {

    @Autowired
    ReportStore store;

    @Test
    void reportsAndBlocksRoundTrip() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        long id = store.insertReport("PG report 100%", null, "pg", now);
        long other = store.insertReport("Another", id, "pg", now.plusSeconds(1));
        Report r = store.find(id).orElseThrow();
        assertThat(r.status()).isEqualTo(Report.DRAFT);
        assertThat(r.frozenAt()).isNull();
        assertThat(r.copiedFrom()).isNull();
        assertThat(store.find(other).orElseThrow().copiedFrom()).isEqualTo(id);
        assertThat(store.findByTitle("Another").orElseThrow().id()).isEqualTo(other);

        String longText = "Ünïcode & <b>raw</b> " + "x".repeat(15_000) + " needle_word";
        long text = store.insertBlock(id, store.nextPosition(id), BlockKind.TEXT, BlockSettings.text(longText), null);
        long table = store.insertBlock(
                id, store.nextPosition(id), BlockKind.TABLE, BlockSettings.table(7, List.of("fid")), null);
        long gallery = store.insertBlock(
                id,
                store.nextPosition(id),
                BlockKind.GALLERY,
                BlockSettings.gallery("random", null, List.of(3L, 4L), 11L, 4),
                null);
        assertThat(store.blocks(id)).extracting(Block::id).containsExactly(text, table, gallery);
        assertThat(store.blocks(id)).extracting(Block::position).containsExactly(0, 1, 2);
        assertThat(store.block(id, text).orElseThrow().settings().markdown()).isEqualTo(longText);
        BlockSettings g = store.block(id, gallery).orElseThrow().settings();
        assertThat(g.checkpoints()).containsExactly(3L, 4L);
        assertThat(g.seed()).isEqualTo(11L);
        assertThat(g.sourceId()).isNull();

        store.setPosition(gallery, 0);
        store.setPosition(text, 2);
        assertThat(store.blocks(id)).extracting(Block::id).containsExactly(gallery, table, text);

        // a snapshot (the block's data as JSON) round-trips
        ComparisonTable t = new ComparisonTable(
                7,
                "ev",
                "IMPORTED",
                null,
                List.of(Metric.FID),
                List.of(new ComparisonTable.Line(
                        "run-1",
                        "ck 1",
                        3L,
                        "run-1",
                        5,
                        Map.of(
                                Metric.FID,
                                new ComparisonTable.Cell(
                                        3,
                                        12.5,
                                        0.5,
                                        11.3,
                                        13.7,
                                        true,
                                        List.of(0L, 1L, 2L),
                                        List.of(12.0, 12.5, 13.0))))));
        store.setSnapshot(table, ReportStore.JSON.writeValueAsString(new BlockData(t, null, null, null)));
        assertThat(store.freeze(id, "pg", now.plusSeconds(60))).isTrue();
        assertThat(store.freeze(id, "pg", now.plusSeconds(61))).isFalse();
        Report frozen = store.find(id).orElseThrow();
        assertThat(frozen.frozen()).isTrue();
        assertThat(frozen.frozenAt()).isEqualTo(now.plusSeconds(60));
        BlockData back =
                ReportStore.JSON.readValue(store.block(id, table).orElseThrow().snapshot(), BlockData.class);
        assertThat(back.table()).isEqualTo(t);

        // search: title, text block, wildcards taken literally
        assertThat(store.search("pg report", 10)).extracting(Report::id).containsExactly(id);
        assertThat(store.search("NEEDLE_WORD", 10)).extracting(Report::id).containsExactly(id);
        assertThat(store.search("100%", 10)).extracting(Report::id).containsExactly(id);
        assertThat(store.search("%", 10)).extracting(Report::id).containsExactly(id);
        assertThat(store.search("_", 10)).extracting(Report::id).containsExactly(id);
        assertThat(store.search("zzz", 10)).isEmpty();

        store.deleteBlock(text);
        assertThat(store.blocks(id)).hasSize(2);
        assertThat(store.count()).isEqualTo(2);
        assertThat(store.list(0, 1)).extracting(Report::id).containsExactly(id);
        assertThat(store.list(1, 1)).extracting(Report::id).containsExactly(other);
    }
}
