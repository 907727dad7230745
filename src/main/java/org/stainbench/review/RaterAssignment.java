package org.stainbench.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Per-rater subsets: which {@code k} of a session's {@code N} items one rater gets, with {@code m} items common to every
 * rater so that agreement stays computable.
 * <p>
 * The rule: the items are grouped (one group per checkpoint, one for real controls), sorted by id and shuffled within
 * each group (Fisher–Yates, {@link SplittableRandom} seeded with the session seed), then interleaved group by group
 * (the first of each group, then the second of each, ...). The first {@code m} items of that order are the
 * <em>common core</em>, seen by every rater. The other {@code N − m} form a ring; the rater with slot {@code r} (0, 1,
 * ... in the order raters were added, kept when a rater is disabled) takes the {@code k − m} consecutive ring items
 * starting at {@code r·(k − m) mod (N − m)}. Consecutive raters therefore get disjoint chunks until the ring is used up,
 * then it wraps: every non-core item is seen by ⌊R(k−m)/(N−m)⌋ or one more of R raters, every pair of raters shares at
 * least the {@code m} core items, and both the core and each chunk are balanced across checkpoints.
 */
final class RaterAssignment {

    private static final long SALT = 0x5AB5E7L;

    private RaterAssignment() {}

    /** The session's items in the assignment order (grouped shuffle, interleaved). */
    static List<ReviewItem> order(List<ReviewItem> items, long seed) {
        Map<String, List<ReviewItem>> groups = new LinkedHashMap<>();
        items.stream()
                .sorted(Comparator.comparing((ReviewItem i) -> i.real()
                                ? Long.MAX_VALUE
                                : i.checkpointId() == null ? Long.MAX_VALUE - 1 : i.checkpointId())
                        .thenComparingLong(ReviewItem::id))
                .forEach(i -> groups.computeIfAbsent(
                                i.real() ? "real" : String.valueOf(i.checkpointId()), g -> new ArrayList<>())
                        .add(i));
        SplittableRandom rnd = new SplittableRandom(seed ^ SALT);
        List<List<ReviewItem>> shuffled = new ArrayList<>();
        for (List<ReviewItem> g : groups.values()) {
            List<ReviewItem> out = new ArrayList<>(g);
            for (int i = out.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                ReviewItem t = out.get(i);
                out.set(i, out.get(j));
                out.set(j, t);
            }
            shuffled.add(out);
        }
        List<ReviewItem> order = new ArrayList<>();
        for (int round = 0; order.size() < items.size(); round++) {
            for (List<ReviewItem> g : shuffled) {
                if (round < g.size()) {
                    order.add(g.get(round));
                }
            }
        }
        return order;
    }

    /** The ids of the items the rater in {@code slot} gets: the common core, then their chunk of the ring. */
    static List<Long> subset(List<ReviewItem> items, int k, int overlap, int slot, long seed) {
        List<ReviewItem> order = order(items, seed);
        if (k >= order.size()) {
            return order.stream().map(ReviewItem::id).toList();
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < overlap; i++) {
            out.add(order.get(i).id());
        }
        int ring = order.size() - overlap;
        int chunk = k - overlap;
        if (ring > 0 && chunk > 0) {
            long start = (long) slot * chunk % ring;
            for (int j = 0; j < chunk; j++) {
                out.add(order.get(overlap + (int) ((start + j) % ring)).id());
            }
        }
        return out;
    }
}
