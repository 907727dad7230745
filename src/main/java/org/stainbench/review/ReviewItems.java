package org.stainbench.review;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The named item construction step of {@link Reviews#create}: a 2AFC pair per generated tile (sides drawn per item),
 * else one item per generated tile and per real control; positions shuffled too, so the stored order says nothing about
 * kind or checkpoint. Deterministic in the seed except for the tokens.
 */
final class ReviewItems {

    private ReviewItems() {}

    /** The items of session {@code sessionId}, built from the draw; {@code tokens} makes every opaque token. */
    static List<ReviewItem> of(
            long sessionId,
            boolean pairs,
            boolean showSource,
            long seed,
            ReviewDraws.Draw draw,
            Supplier<String> tokens) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<ReviewItem.Builder> items = new ArrayList<>();
        List<ReviewDraws.Drawn> gen = draw.generated();
        for (int i = 0; i < gen.size(); i++) {
            ReviewItem.Builder b = ReviewItem.builder().session(sessionId).token(tokens.get());
            items.add(
                    pairs
                            ? pair(b, gen.get(i), draw.reals().get(i), rnd.nextBoolean(), tokens)
                            : generated(b, gen.get(i), showSource, tokens));
        }
        if (!pairs) {
            for (ReviewDraws.Real r : draw.reals()) {
                items.add(real(ReviewItem.builder().session(sessionId).token(tokens.get()), r, tokens));
            }
        }
        List<Integer> positions = shuffledPositions(items.size(), rnd);
        List<ReviewItem> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(items.get(i).position(positions.get(i)).build());
        }
        return out;
    }

    /** A 2AFC pair: the generated tile and its real control, the real one on the left when {@code realLeft}. */
    private static ReviewItem.Builder pair(
            ReviewItem.Builder b,
            ReviewDraws.Drawn d,
            ReviewDraws.Real real,
            boolean realLeft,
            Supplier<String> tokens) {
        return b.pair(d.checkpointId(), d.tile(), d.source(), real.tile(), realLeft)
                .images(tokens.get(), tokens.get(), null);
    }

    /** A generated tile on its own, with its H&amp;E source image when the session shows it. */
    private static ReviewItem.Builder generated(
            ReviewItem.Builder b, ReviewDraws.Drawn d, boolean showSource, Supplier<String> tokens) {
        return b.generated(d.checkpointId(), d.tile(), d.source())
                .images(tokens.get(), null, showSource ? tokens.get() : null);
    }

    /** A real control tile on its own. */
    private static ReviewItem.Builder real(ReviewItem.Builder b, ReviewDraws.Real r, Supplier<String> tokens) {
        return b.real(r.tile()).images(tokens.get(), null, null);
    }

    /** 0..n-1 in a Fisher–Yates order drawn from {@code rnd}. */
    static List<Integer> shuffledPositions(int n, SplittableRandom rnd) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            positions.add(i);
        }
        for (int i = positions.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Integer t = positions.get(i);
            positions.set(i, positions.get(j));
            positions.set(j, t);
        }
        return positions;
    }
}
