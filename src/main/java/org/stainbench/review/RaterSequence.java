package org.stainbench.review;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The order in which one rater sees a session's items: every item once, shuffled (Fisher–Yates on
 * {@link SplittableRandom} seeded with the rater's stored seed), then about {@code repeatPercent} % of the items
 * again (at least one when the percentage is positive) in a second shuffled order, for intra-rater consistency.
 * The same seed gives the same sequence, so a rater resumes where they left off.
 */
final class RaterSequence {

    record Step(long itemId, int repeatNo) {}

    private RaterSequence() {}

    static int repeats(int items, int repeatPercent) {
        if (items == 0 || repeatPercent <= 0) {
            return 0;
        }
        return Math.min(items, Math.max(1, (int) Math.round(items * repeatPercent / 100.0)));
    }

    /**
     * The sequence with every repeat at least {@code minDistance} steps after its first showing (issue 17): the repeat
     * block follows the first showings as before, but slot k of it (step n + k) takes an item drawn at random from
     * those not yet repeated whose first showing is at step n + k - minDistance or earlier. There are always
     * n - minDistance + 1 of them, so every item is equally likely to be repeated; when the session has fewer items than
     * the distance, the earliest unrepeated item is taken (the largest distance there is). {@code minDistance} ≤ 0:
     * the sequence sessions created before issue 17 have (a repeat only never directly follows its first showing).
     */
    static List<Step> of(List<Long> itemIds, int repeatPercent, long seed, int minDistance) {
        if (minDistance <= 0) {
            return of(itemIds, repeatPercent, seed);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Long> order = shuffled(itemIds, rnd);
        List<Step> steps = new ArrayList<>();
        for (long id : order) {
            steps.add(new Step(id, 0));
        }
        int n = order.size();
        int r = repeats(n, repeatPercent);
        boolean[] taken = new boolean[n];
        for (int k = 0; k < r; k++) {
            int last = n + k - minDistance; // latest first-showing step far enough away
            List<Integer> eligible = new ArrayList<>();
            for (int p = 0; p <= Math.min(last, n - 1); p++) {
                if (!taken[p]) {
                    eligible.add(p);
                }
            }
            int pick;
            if (eligible.isEmpty()) {
                pick = 0;
                while (taken[pick]) {
                    pick++;
                }
            } else {
                pick = eligible.get(rnd.nextInt(eligible.size()));
            }
            taken[pick] = true;
            steps.add(new Step(order.get(pick), 1));
        }
        return steps;
    }

    static List<Step> of(List<Long> itemIds, int repeatPercent, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Long> order = shuffled(itemIds, rnd);
        List<Step> steps = new ArrayList<>();
        for (long id : order) {
            steps.add(new Step(id, 0));
        }
        List<Long> again = shuffled(itemIds, rnd).subList(0, repeats(itemIds.size(), repeatPercent));
        List<Long> againOrder = shuffled(again, rnd);
        // a repeat never follows its own first showing directly
        if (againOrder.size() > 1 && againOrder.get(0).equals(order.get(order.size() - 1))) {
            againOrder.add(againOrder.remove(0));
        }
        for (long id : againOrder) {
            steps.add(new Step(id, 1));
        }
        return steps;
    }

    private static List<Long> shuffled(List<Long> in, SplittableRandom rnd) {
        List<Long> out = new ArrayList<>(in);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Long t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }
}
