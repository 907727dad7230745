package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.support.PostgresTest;

/** The review SQL on a real PostgreSQL: sessions, items with nullable columns, raters, answers saved and revised, paging. */
@SpringBootTest
@ActiveProfiles("test")
@PostgresTest
class ReviewPostgresIT {

    @Autowired
    ReviewStore store;

    @Test
    void sessionsItemsRatersAndAnswersRoundTrip() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        long id = store.insertSession(new ReviewSession(
                0,
                "pg session",
                ReviewMode.LIKERT,
                "Score.",
                "A\nB",
                false,
                ReviewSession.RANDOM,
                1,
                null,
                2,
                1,
                10,
                42,
                "pg",
                now));
        store.insertItem(new ReviewItem(
                0,
                id,
                1,
                "tok-gen",
                ReviewItem.GENERATED,
                7L,
                11L,
                3,
                5L,
                3,
                null,
                null,
                null,
                "img-gen",
                null,
                "img-src"));
        store.insertItem(new ReviewItem(
                0,
                id,
                0,
                "tok-real",
                ReviewItem.REAL,
                null,
                12L,
                4,
                null,
                null,
                null,
                null,
                null,
                "img-real",
                null,
                null));
        store.insertRater(id, "pat", 99L, now);
        List<ReviewItem> items = store.items(id);
        assertThat(items).extracting(ReviewItem::token).containsExactly("tok-real", "tok-gen");
        assertThat(items.get(0).checkpointId()).isNull();
        assertThat(items.get(0).realLeft()).isNull();
        assertThat(store.itemByImage("img-src").orElseThrow().token()).isEqualTo("tok-gen");
        assertThat(store.itemByToken("tok-real").orElseThrow().real()).isTrue();
        long item = items.get(1).id();
        store.saveAnswer(new ReviewAnswer(0, id, item, "pat", 0, null, null, "3,4", null, "first", now));
        store.saveAnswer(new ReviewAnswer(0, id, item, "pat", 0, null, null, "5,5", null, null, now.plusSeconds(5)));
        store.saveAnswer(new ReviewAnswer(0, id, item, "pat", 1, null, null, "4,4", 0.25, null, now.plusSeconds(9)));
        List<ReviewAnswer> answers = store.answers(id);
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).scoreList()).containsExactly(5, 5);
        assertThat(answers.get(0).note()).isNull();
        assertThat(answers.get(1).fraction()).isEqualTo(0.25);
        assertThat(store.sessionsOf("pat")).extracting(ReviewSession::name).containsExactly("pg session");
        assertThat(store.sessions(0, 10)).hasSize(1);
        assertThat(store.sessions(1, 10)).isEmpty();
        store.deleteSession(id);
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void samplingPoolsRepeatsAndTheAnswersSideRoundTrip() {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        long id = store.insertSession(new ReviewSession(
                0,
                "pg sampling",
                ReviewMode.TWO_AFC,
                "Which?",
                null,
                false,
                ReviewSession.GALLERY,
                1,
                2L,
                2,
                0,
                50,
                43,
                "pg",
                now));
        store.insertSampling(new ReviewSampling(
                id,
                new Eligibility(true, 0.6, 0.55),
                true,
                5,
                96,
                80,
                0.71,
                null,
                List.of(
                        new ReviewSampling.Pool(ReviewSampling.POOL_ROWS, null, 7, 24),
                        new ReviewSampling.Pool(ReviewSampling.POOL_GENERATED, 9L, 11, 24))));
        store.insertItem(ReviewItem.builder()
                .session(id)
                .position(0)
                .token("pg-pair")
                .pair(
                        9L,
                        new ReviewItem.TileRef(11L, 3),
                        new ReviewItem.TileRef(5L, 3),
                        new ReviewItem.TileRef(12L, 4),
                        true)
                .images("pg-a", "pg-b", null)
                .build());
        store.insertRater(id, "pat", 99L, now);
        long item = store.items(id).get(0).id();
        store.insertRepeat(
                new ReviewStore.Repeat(0, id, item, "pat", 1, "pg-rep", "pg-rep-a", "pg-rep-b", null, false));
        ReviewSampling back = store.sampling(id).orElseThrow();
        assertThat(back.rule()).isEqualTo(new Eligibility(true, 0.6, 0.55));
        assertThat(back.matchTissue()).isTrue();
        assertThat(back.generatedTissue()).isEqualTo(0.71);
        assertThat(back.realTissue()).isNull();
        assertThat(back.pools())
                .extracting(ReviewSampling.Pool::kind)
                .containsExactly(ReviewSampling.POOL_ROWS, ReviewSampling.POOL_GENERATED);
        assertThat(back.pools().get(0).checkpointId()).isNull();
        assertThat(store.imageSize(id).orElseThrow()).containsExactly(96, 80);
        assertThat(store.repeatByImage("pg-rep-b").orElseThrow().realLeft()).isFalse();
        ReviewItem shown = store.itemByToken("pg-rep").orElseThrow();
        assertThat(shown.id()).isEqualTo(item);
        assertThat(shown.realLeft()).isFalse();
        assertThat(shown.imageA()).isEqualTo("pg-rep-a");
        store.saveAnswer(new ReviewAnswer(0, id, item, "pat", 1, "RIGHT", null, null, null, null, now, false));
        assertThat(store.answers(id).get(0).realLeft()).isFalse();
        store.deleteRater(id, "pat");
        assertThat(store.repeats(id, "pat")).isEmpty();
        store.deleteSession(id);
        assertThat(store.sampling(id)).isEmpty();
    }
}
