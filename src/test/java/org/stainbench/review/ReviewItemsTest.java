package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.stainbench.review.ReviewItem.TileRef;

/** The named item construction step of {@code Reviews.create}, on its own. */
class ReviewItemsTest {

    static ReviewDraws.Draw draw(int n) {
        List<ReviewDraws.Drawn> gen = new ArrayList<>();
        List<ReviewDraws.Real> reals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gen.add(new ReviewDraws.Drawn(10 + i % 2, new TileRef(1, i), new TileRef(2, i), 0.5));
            reals.add(new ReviewDraws.Real(new TileRef(3, i), 0.5));
        }
        return new ReviewDraws.Draw(gen, reals, List.of(), 64, 64, 0.5, 0.5);
    }

    static Supplier<String> counter() {
        AtomicInteger n = new AtomicInteger();
        return () -> "t" + n.incrementAndGet();
    }

    @Test
    void pairsGetBothImagesAndSidesFromTheSeedSinglesGetOneItemPerTileAndPositionsAreAPermutation() {
        List<ReviewItem> pairs = ReviewItems.of(7, true, false, 42, draw(6), counter());
        assertThat(pairs).hasSize(6).allSatisfy(i -> {
            assertThat(i.kind()).isEqualTo(ReviewItem.PAIR);
            assertThat(i.sessionId()).isEqualTo(7);
            assertThat(i.imageB()).isNotNull();
            assertThat(i.realArchiveId()).isEqualTo(3L);
            assertThat(i.realIndex()).isEqualTo(i.tileIndex());
        });
        assertThat(pairs).extracting(ReviewItem::position).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        // the same seed draws the same sides and positions (the tokens are the only random part)
        List<ReviewItem> again = ReviewItems.of(7, true, false, 42, draw(6), counter());
        assertThat(again)
                .extracting(ReviewItem::realLeft)
                .isEqualTo(pairs.stream().map(ReviewItem::realLeft).toList());
        assertThat(again)
                .extracting(ReviewItem::position)
                .isEqualTo(pairs.stream().map(ReviewItem::position).toList());
        // sides and positions as the seed draws them: one boolean per pair, then a Fisher–Yates shuffle
        SplittableRandom rnd = new SplittableRandom(42 ^ 0x5DEECE66DL);
        List<Boolean> sides = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sides.add(rnd.nextBoolean());
        }
        assertThat(pairs).extracting(ReviewItem::realLeft).isEqualTo(sides);
        assertThat(pairs).extracting(ReviewItem::position).isEqualTo(ReviewItems.shuffledPositions(6, rnd));

        List<ReviewItem> singles = ReviewItems.of(8, false, true, 42, draw(3), counter());
        assertThat(singles).hasSize(6);
        assertThat(singles).filteredOn(ReviewItem::real).hasSize(3).allSatisfy(i -> assertThat(i.imageSource())
                .isNull());
        assertThat(singles).filteredOn(i -> !i.real()).hasSize(3).allSatisfy(i -> {
            assertThat(i.kind()).isEqualTo(ReviewItem.GENERATED);
            assertThat(i.imageSource()).isNotNull();
            assertThat(i.sourceArchiveId()).isEqualTo(2L);
        });
        assertThat(singles).extracting(ReviewItem::token).doesNotHaveDuplicates();
    }
}
