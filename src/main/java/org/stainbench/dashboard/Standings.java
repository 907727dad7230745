package org.stainbench.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure: the best result per target stain and protocol fingerprint under one metric (lower is better), the best before
 * it, and the best so far after each finished evaluation. Results of different fingerprints (different tiles, extractor,
 * crops, KID settings or seeds) are never ranked against each other: each (target, fingerprint) is its own standing.
 * Results come in any order; evaluations are ordered by (finish time, id).
 */
final class Standings {

    private Standings() {}

    /**
     * One compared thing of one finished evaluation: its mean ± std over n seeds of the ranking metric, under the
     * evaluation's protocol fingerprint; {@code seedInvariant}: every seed gave the same value (shown as one value).
     */
    record Result(
            long evaluationId,
            long subjectId,
            String evaluationName,
            Instant finishedAt,
            String target,
            String fingerprint,
            String label,
            Long checkpointId,
            String checkpointName,
            String runUuid,
            Integer epoch,
            double mean,
            Double std,
            int n,
            boolean seedInvariant) {

        /** The standing it belongs to: its target and protocol fingerprint. */
        public String group() {
            return Standings.group(target, fingerprint);
        }

        public String evaluationHref() {
            return "/evaluations/" + evaluationId;
        }
    }

    /** The best so far right after an evaluation finished; {@code improved} when that evaluation set a new best. */
    record Step(Instant at, double value, Result holder, boolean improved) {}

    /**
     * A target stain's standing: the best result; the previous best (the best among evaluations finished before the
     * best's evaluation), null when the best came with the first evaluation; and the best-so-far series.
     */
    record Standing(
            String target, String fingerprint, Result best, Result previous, List<Step> overTime, int evaluations) {

        /** Target and fingerprint: the key of this standing's figures. */
        public String group() {
            return Standings.group(target, fingerprint);
        }

        /** best − previous (negative: improved), or null. */
        public Double delta() {
            return previous == null ? null : best.mean() - previous.mean();
        }

        /** The delta as a percentage of the previous best, or null (no previous, or a previous of 0). */
        public Double percent() {
            return previous == null || previous.mean() == 0
                    ? null
                    : 100 * (best.mean() - previous.mean()) / Math.abs(previous.mean());
        }
    }

    static final Comparator<Result> ORDER =
            Comparator.comparing(Result::finishedAt).thenComparingLong(Result::evaluationId);
    /** Lower mean first; ties go to the earlier evaluation, then the earlier compared thing in input order. */
    static final Comparator<Result> RANK =
            Comparator.comparingDouble(Result::mean).thenComparing(ORDER);

    static String group(String target, String fingerprint) {
        return target + " · " + fingerprint;
    }

    /**
     * Standings per target and fingerprint: grouped by target in the order targets first appear by finish time, and
     * within a target by fingerprint in the order each first appears.
     */
    static List<Standing> of(List<Result> results) {
        Map<String, Map<String, List<Result>>> byTarget = new LinkedHashMap<>();
        results.stream().sorted(ORDER).forEach(r -> byTarget.computeIfAbsent(r.target(), k -> new LinkedHashMap<>())
                .computeIfAbsent(r.fingerprint(), k -> new ArrayList<>())
                .add(r));
        List<Standing> out = new ArrayList<>();
        byTarget.forEach(
                (target, byFingerprint) -> byFingerprint.forEach((fp, rs) -> out.add(standing(target, fp, rs))));
        return out;
    }

    private static Standing standing(String target, String fingerprint, List<Result> ordered) {
        Result best = ordered.stream().min(RANK).orElseThrow();
        Result previous = ordered.stream()
                .filter(r -> ORDER.compare(r, best) < 0)
                .min(RANK)
                .orElse(null);
        List<Step> steps = new ArrayList<>();
        Result sofar = null;
        int evaluations = 0;
        for (int i = 0; i < ordered.size(); ) {
            long ev = ordered.get(i).evaluationId();
            Result bestHere = null;
            int j = i;
            for (; j < ordered.size() && ordered.get(j).evaluationId() == ev; j++) {
                Result r = ordered.get(j);
                if (bestHere == null || RANK.compare(r, bestHere) < 0) {
                    bestHere = r;
                }
            }
            boolean improved = sofar == null || bestHere.mean() < sofar.mean();
            if (improved) {
                sofar = bestHere;
            }
            steps.add(new Step(ordered.get(i).finishedAt(), sofar.mean(), sofar, improved));
            evaluations++;
            i = j;
        }
        return new Standing(target, fingerprint, best, previous, List.copyOf(steps), evaluations);
    }

    /**
     * The leaderboard of one standing's results: each compared thing (a checkpoint, or an imported row's label) once,
     * with its best result under this standing's protocol, best first ({@link #RANK}).
     */
    static List<Result> leaderboard(List<Result> results) {
        Map<String, Result> best = new LinkedHashMap<>();
        for (Result r : results) {
            String key = r.checkpointId() != null ? "checkpoint " + r.checkpointId() : "label " + r.label();
            best.merge(key, r, (a, b) -> RANK.compare(a, b) <= 0 ? a : b);
        }
        return best.values().stream().sorted(RANK).toList();
    }
}
