package org.stainbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code report} row through {@link ReportRepository} (Spring Data JPA, issue 20 item 4): every column reads back
 * exactly as the SQL row mapper reads it; rename and touch are seen by the next read in the same transaction; the
 * first report of a title is the oldest; the frozen list is newest freeze first, after {@code since}, at most
 * {@code limit}, next to the JdbcClient freeze that stays a guarded claim.
 */
@SpringBootTest
@ActiveProfiles("test")
class ReportRepositoryTest {

    @Autowired
    ReportStore store;

    @Autowired
    ReportRepository repository;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    private Report sqlRow(long id) {
        return jdbc.sql("select * from report where id = ?")
                .param(id)
                .query(ReportStore::report)
                .single();
    }

    @Test
    void everyColumnRoundTripsAsTheSqlReadsIt() {
        Instant at = Instant.parse("2032-01-02T03:04:05.000007Z");
        long before = store.count();
        long id = store.insertReport("repo report", null, "repo-ana", at);
        long copy = store.insertReport("repo report", id, "repo-bob", at.plusSeconds(1));
        assertThat(store.count()).isEqualTo(before + 2);

        Report r = store.find(id).orElseThrow();
        assertThat(r).isEqualTo(sqlRow(id));
        assertThat(r).isEqualTo(new Report(id, "repo report", Report.DRAFT, null, "repo-ana", at, at, null, null));
        assertThat(store.find(copy).orElseThrow()).isEqualTo(sqlRow(copy));
        assertThat(store.find(copy).orElseThrow().copiedFrom()).isEqualTo(id);
        assertThat(store.findByTitle("repo report").orElseThrow().id()).isEqualTo(id);
        assertThat(store.findByTitle("repo report, not there")).isEmpty();
        assertThat(store.find(Long.MAX_VALUE)).isEmpty();

        Report renamed = tx.execute(t -> {
            assertThat(store.find(copy).orElseThrow().title()).isEqualTo("repo report");
            store.rename(copy, "repo report renamed", at.plusSeconds(60));
            assertThat(sqlRow(copy).title()).isEqualTo("repo report renamed");
            store.touch(copy, at.plusSeconds(90));
            return store.find(copy).orElseThrow();
        });
        assertThat(renamed.title()).isEqualTo("repo report renamed");
        assertThat(renamed.updatedAt()).isEqualTo(at.plusSeconds(90));
        assertThat(renamed.createdAt()).isEqualTo(at.plusSeconds(1));
        assertThat(renamed).isEqualTo(sqlRow(copy));
    }

    @Test
    void theFrozenListIsNewestFirstAfterSinceAndAtMostTheLimit() {
        Instant at = Instant.parse("2032-06-01T00:00:00Z");
        long a = store.insertReport("repo frozen a", null, "repo-ana", at);
        long b = store.insertReport("repo frozen b", null, "repo-ana", at);
        long c = store.insertReport("repo frozen c", null, "repo-ana", at);
        long draft = store.insertReport("repo draft", null, "repo-ana", at);
        assertThat(store.freeze(a, "repo-ana", at.plusSeconds(10))).isTrue();
        assertThat(store.freeze(b, "repo-ana", at.plusSeconds(30))).isTrue();
        assertThat(store.freeze(c, "repo-bob", at.plusSeconds(20))).isTrue();
        assertThat(store.freeze(c, "repo-bob", at.plusSeconds(40))).isFalse();

        assertThat(store.frozen(at, 10)).extracting(Report::id).containsExactly(b, c, a);
        assertThat(store.frozen(at.plusSeconds(10), 10)).extracting(Report::id).containsExactly(b, c);
        assertThat(store.frozen(at, 2)).extracting(Report::id).containsExactly(b, c);
        assertThat(store.frozen(at, 0)).extracting(Report::id).containsExactly(b);
        assertThat(store.frozen(null, 1000))
                .extracting(Report::id)
                .contains(a, b, c)
                .doesNotContain(draft);
        Report frozen = store.find(c).orElseThrow();
        assertThat(frozen).isEqualTo(sqlRow(c));
        assertThat(frozen.frozenBy()).isEqualTo("repo-bob");
        assertThat(frozen.frozenAt()).isEqualTo(at.plusSeconds(20));
        assertThat(repository.findById(draft).orElseThrow().toReport().status()).isEqualTo(Report.DRAFT);
    }

    private Block sqlBlock(long id) {
        return jdbc.sql("select * from report_block where id = ?")
                .param(id)
                .query(ReportStore::block)
                .single();
    }

    @Test
    void blocksRoundTripInOrderAndChangeInTheSameTransaction() {
        long id = store.insertReport("repo blocks", null, "repo-ana", Instant.parse("2032-07-01T00:00:00Z"));
        long other = store.insertReport("repo blocks other", null, "repo-ana", Instant.parse("2032-07-01T00:00:00Z"));
        assertThat(store.nextPosition(id)).isZero();
        String text = "Ünïcode & <b>raw</b> " + "x".repeat(15_000);
        long t = store.insertBlock(id, store.nextPosition(id), BlockKind.TEXT, BlockSettings.text(text), null);
        long g = store.insertBlock(
                id, store.nextPosition(id), BlockKind.TABLE, BlockSettings.table(7, List.of("fid")), "{\"x\":1}");
        long elsewhere = store.insertBlock(other, 0, BlockKind.REVIEW, BlockSettings.review(3L), null);
        assertThat(store.nextPosition(id)).isEqualTo(2);

        assertThat(store.blocks(id)).extracting(Block::id).containsExactly(t, g);
        assertThat(store.blocks(id).get(0)).isEqualTo(sqlBlock(t));
        assertThat(store.blocks(id).get(0).settings().markdown()).isEqualTo(text);
        assertThat(store.block(id, g).orElseThrow()).isEqualTo(sqlBlock(g));
        assertThat(store.block(id, g).orElseThrow().snapshot()).isEqualTo("{\"x\":1}");
        assertThat(store.block(id, elsewhere)).isEmpty();

        List<Block> moved = tx.execute(s -> {
            store.setPosition(t, 1);
            store.setPosition(g, 0);
            store.updateSettings(t, BlockSettings.text("short"));
            store.setSnapshot(t, "{}");
            assertThat(sqlBlock(t).position()).isEqualTo(1);
            return store.blocks(id);
        });
        assertThat(moved).extracting(Block::id).containsExactly(g, t);
        assertThat(moved.get(1).settings().markdown()).isEqualTo("short");
        assertThat(moved.get(1)).isEqualTo(sqlBlock(t));

        store.deleteBlock(g);
        assertThat(store.blocks(id)).extracting(Block::id).containsExactly(t);
        assertThat(store.blocks(other)).extracting(Block::id).containsExactly(elsewhere);
    }
}
