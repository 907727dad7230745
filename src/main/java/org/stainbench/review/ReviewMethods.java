package org.stainbench.review;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.stainbench.review.stats.BootstrapInterval;

/**
 * The methods paragraph of a session: the study design and the statistics with their intervals, written from the
 * session, its items and answers and the {@link ReviewResults} of the results page, so that a paper states exactly
 * what the platform did. Every count is one the answers CSV reproduces (raters who answered, answers, first and
 * repeated showings, items per checkpoint, correct answers). Plain Java, no Spring.
 */
final class ReviewMethods {

    private ReviewMethods() {}

    /** What the text needs besides the results: names of the datasets and checkpoints, and repeats per rater. */
    record Context(
            ReviewSession session,
            List<ReviewItem> items,
            List<String> raters,
            List<ReviewAnswer> answers,
            ReviewResults.Results results,
            Function<Long, String> checkpointName,
            String sourceName,
            String realName,
            int repeatsPerRater,
            ReviewSampling sampling,
            StudyDesign design) {}

    /** A heading and its sentences. */
    record Paragraph(String heading, String text) {}

    static String text(Context c) {
        return paragraphs(c).stream().map(p -> p.heading() + ". " + p.text()).collect(Collectors.joining("\n\n"))
                + "\n";
    }

    static List<Paragraph> paragraphs(Context c) {
        ReviewSession s = c.session();
        ReviewResults.Results r = c.results();
        List<Paragraph> out = new ArrayList<>();
        out.add(new Paragraph(
                "Design",
                "We ran a blinded reader study with Stainbench (review session \"" + s.name() + "\", id " + s.id()
                        + "; mode: " + s.mode().title() + "). " + task(s) + ""));
        out.add(new Paragraph("Items", items(c)));
        out.add(new Paragraph("Raters", raters(c)));
        out.add(new Paragraph("Randomisation and blinding", blinding(s, c.design(), c.sampling())));
        out.add(new Paragraph("Repeats", repeats(c)));
        out.add(new Paragraph("Statistics", statistics(c)));
        if (!r.times().isEmpty()) {
            out.add(new Paragraph("Time per item", times(r)));
        }
        return out;
    }

    private static String task(ReviewSession s) {
        String source = s.showSource() ? ", with its H&E source tile beside it," : "";
        return switch (s.mode()) {
            case TWO_AFC -> "Each item showed a generated CK7 tile and a real IHC tile side by side, and the rater chose the"
                    + " one they judged real (two-alternative forced choice).";
            case REAL_OR_VIRTUAL -> "Each item showed one tile, generated or a real IHC control, and the rater answered real"
                    + " or virtual with a confidence from 1 to 5.";
            case LIKERT -> "Each item showed one tile" + source
                    + " and the rater scored it from 1 (poor) to 5 (excellent) on "
                    + s.criteriaList().size() + " criteria: " + String.join("; ", s.criteriaList()) + ".";
            case MARKER -> "Each item showed one tile" + source
                    + " and the rater scored CK7 as negative, weak, moderate or"
                    + " strong and estimated the positive fraction (%).";
        };
    }

    private static String items(Context c) {
        ReviewSession s = c.session();
        Map<String, Integer> per = new LinkedHashMap<>();
        int real = 0;
        for (ReviewItem i : c.items()) {
            if (i.real()) {
                real++;
            } else {
                per.merge(c.checkpointName().apply(i.checkpointId()), 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(c.items().size())
                .append(" items: ")
                .append(per.entrySet().stream()
                        .map(e -> e.getValue() + " of checkpoint \"" + e.getKey() + "\"")
                        .collect(Collectors.joining(", ")));
        if (real > 0) {
            b.append(" and ")
                    .append(real)
                    .append(" real IHC control tiles from \"")
                    .append(c.realName())
                    .append('"');
        }
        b.append(". Generated tiles were made from the H&E dataset \"")
                .append(c.sourceName())
                .append("\". ");
        b.append(c.sampling() == null ? eligibility(s, c.realName()) : eligibility(s, c.realName(), c.sampling()));
        return b.toString();
    }

    /** The eligibility rule as stored with the session (issue 17: one rule for generated tiles and real controls). */
    static String eligibility(ReviewSession s, String realName, ReviewSampling sampling) {
        StringBuilder b = new StringBuilder(
                        "Eligibility: every tile — each generated tile, its H&E source and each real"
                                + " control — had to pass one rule: ")
                .append(sampling.rule().text())
                .append(". ");
        if (ReviewSession.GALLERY.equals(s.selection())) {
            b.append("Generated tiles were drawn as matched rows (seed ")
                    .append(s.seed())
                    .append("): the same H&E source tile in every checkpoint, round-robin over the source slides.");
        } else {
            b.append("Each checkpoint's tiles were a random sample (seed ")
                    .append(s.seed())
                    .append(") of its eligible generated tiles.");
        }
        if (s.mode() == ReviewMode.TWO_AFC || s.realCount() > 0) {
            b.append(
                    sampling.matchTissue()
                            ? " Real IHC tiles from \"" + realName
                                    + "\" were matched to the generated tiles on tissue fraction"
                                    + " (nearest neighbour without replacement)."
                            : " Real IHC tiles were drawn (seeded) from the eligible tiles of \"" + realName + "\".");
        }
        b.append(String.format(
                Locale.ROOT, " Every image was shown at %d × %d px.", sampling.imageWidth(), sampling.imageHeight()));
        return b.toString();
    }

    private static String repeats(Context c) {
        ReviewSession s = c.session();
        if (c.repeatsPerRater() == 0) {
            return "No item was shown twice.";
        }
        String distance = c.sampling() == null
                ? ", never directly after their own first showing"
                : ", at least " + c.sampling().repeatMinDistance() + " items after their own first showing, under a new"
                        + " token and image addresses and (2AFC) with the sides drawn again";
        return c.repeatsPerRater() + " of the items per rater (" + s.repeatPercent()
                + " %, drawn per rater) were shown a second time after all first showings" + distance
                + ", to measure intra-rater consistency.";
    }

    /** The eligibility rule as the session stored it. */
    static String eligibility(ReviewSession s, String realName) {
        StringBuilder b = new StringBuilder();
        if (ReviewSession.GALLERY.equals(s.selection())) {
            b.append("Eligibility: the generated tiles were the rows of a random gallery (seed ")
                    .append(s.seed())
                    .append(
                            "): the same H&E source tile in every checkpoint, from source tiles with tissue at least 60 %"
                                    + " on the tile and on its central crop.");
        } else {
            b.append("Eligibility: each checkpoint's tiles were a random sample (seed ")
                    .append(s.seed())
                    .append(") of its generated tiles, without a tissue filter.");
        }
        if (s.mode() == ReviewMode.TWO_AFC) {
            b.append(" Each generated tile was paired with a real IHC tile from \"")
                    .append(realName)
                    .append("\", drawn (seeded) from its informative tiles (from all its tiles when it had too few).");
        } else if (s.realCount() > 0) {
            b.append(" Real controls were drawn (seeded) from the informative tiles of \"")
                    .append(realName)
                    .append("\" (from all its tiles when it had too few).");
        }
        return b.toString();
    }

    private static String raters(Context c) {
        Set<String> answered = new TreeSet<>();
        long first = 0;
        for (ReviewAnswer a : c.answers()) {
            answered.add(a.rater());
            first += a.repeatNo() == 0 ? 1 : 0;
        }
        return c.raters().size() + " pathologist" + (c.raters().size() == 1 ? " was" : "s were") + " assigned; "
                + answered.size() + " answered, giving " + c.answers().size() + " answers: " + first
                + " first showings and "
                + (c.answers().size() - first) + " repeated showings.";
    }

    private static String blinding(ReviewSession s, StudyDesign design, ReviewSampling sampling) {
        StringBuilder b = new StringBuilder();
        if (design != null && design.subsets()) {
            b.append("Each rater saw ")
                    .append(design.itemsPerRater())
                    .append(" of the items (")
                    .append(design.overlap())
                    .append(" common to every rater, the rest dealt out in turn from a seeded shuffle balanced across"
                            + " checkpoints), once each, in an order of their own (a Fisher–Yates shuffle seeded per rater),"
                            + " then the repeats; the stored item order was shuffled too.");
        } else {
            b.append("Each rater saw every item once, in an order of their own (a Fisher–Yates"
                    + " shuffle seeded per rater), then the repeats; the stored item order was shuffled too.");
        }
        if (design != null && design.practiceCount() > 0) {
            b.append(" Before the study each rater answered ")
                    .append(design.practiceCount())
                    .append(" practice items,"
                            + " drawn from tiles the study does not use, with feedback from provenance; practice answers are not"
                            + " counted.");
        }
        if (s.mode() == ReviewMode.TWO_AFC) {
            b.append(" The real tile's side (left or right) was drawn at random per item.");
        }
        b.append(
                " Raters saw only the session name, instructions and criteria; items and images were served under opaque"
                        + " random tokens, real and generated tiles through the same lossless PNG encoder without metadata or"
                        + " caching" + (sampling == null ? "" : " at one size and one byte length (uncompressed PNG)")
                        + ", and no checkpoint, dataset, file or tile name was shown.");
        if (s.showSource()) {
            b.append(" The H&E source tile was shown beside each tile.");
        }
        StudyDesign.Navigation nav = design == null ? StudyDesign.Navigation.FREE : design.navigation();
        b.append(
                switch (nav) {
                    case FREE -> " Raters could go back to earlier items and revise an answer; the last answer counts.";
                    case LOOK_BACK -> " Raters could go back to look at earlier items, but an answer, once given, was final.";
                    case FORWARD -> " Raters answered strictly in order, without going back; an answer, once given, was final.";
                });
        return b.toString();
    }

    private static String statistics(Context c) {
        ReviewSession s = c.session();
        ReviewResults.Results r = c.results();
        String boot = "B = " + r.resamples() + " resamples, seed " + r.seed();
        StringBuilder b = new StringBuilder("All statistics use first showings only. ");
        if (!r.accuracy().isEmpty()) {
            String what = s.mode() == ReviewMode.TWO_AFC ? "picked the real tile" : "answered correctly";
            for (ReviewResults.AccuracyRow a : r.accuracy()) {
                if (a.pooled() && a.group().equals("all items")) {
                    b.append("Pooled accuracy (")
                            .append(what)
                            .append(") was ")
                            .append(f3(a.accuracy()))
                            .append(" (")
                            .append(a.correct())
                            .append(" of ")
                            .append(a.n())
                            .append(" answers; ")
                            .append(interval(a.cluster()))
                            .append(" from a two-way cluster bootstrap that resamples the ")
                            .append(a.clusterRaters())
                            .append(" raters and the ")
                            .append(a.clusterItems())
                            .append(
                                    " items independently with replacement, each answer of a drawn rater to a drawn item"
                                            + " counted once per pair of draws, ")
                            .append(boot)
                            .append(defined(a.cluster()))
                            .append("; Wilson interval ignoring clustering ")
                            .append(f3(a.low()))
                            .append(" to ")
                            .append(f3(a.high()))
                            .append("; exact two-sided binomial test against 0.5, p = ")
                            .append(String.format(Locale.ROOT, "%.4f", a.p()))
                            .append("). ");
                }
            }
            List<String> perRater = r.accuracy().stream()
                    .filter(a -> !a.pooled())
                    .map(a -> a.rater() + " " + f3(a.accuracy()) + " (" + a.correct() + "/" + a.n() + ", " + f3(a.low())
                            + " to " + f3(a.high()) + ")")
                    .toList();
            if (!perRater.isEmpty()) {
                b.append("Per rater, with Wilson 95 % intervals: ")
                        .append(String.join("; ", perRater))
                        .append(". ");
            }
            List<String> perGroup = r.accuracy().stream()
                    .filter(a -> a.pooled() && !a.group().equals("all items"))
                    .map(a -> a.group() + " " + f3(a.accuracy()) + " (" + a.correct() + "/" + a.n() + ", "
                            + interval(a.cluster()) + ")")
                    .toList();
            if (!perGroup.isEmpty()) {
                b.append("Per checkpoint, with two-way cluster bootstrap intervals: ")
                        .append(String.join("; ", perGroup))
                        .append(". ");
            }
        } else if (!r.groups().isEmpty()) {
            b.append("Mean ± SD per checkpoint and rating, with 95 % percentile bootstrap intervals over the answers (")
                    .append(boot)
                    .append("): ")
                    .append(r.groups().stream()
                            .map(g -> g.group() + ", " + g.variable() + ": "
                                    + f3(g.mean()) + " ± " + (g.sd() == null ? "–" : f3(g.sd())) + " (n = " + g.n()
                                    + ", "
                                    + f3(g.low()) + " to " + f3(g.high()) + ")")
                            .collect(Collectors.joining("; ")))
                    .append(". ");
        }
        for (ReviewResults.AgreementRow a : r.agreement()) {
            List<String> coef = new ArrayList<>();
            for (ReviewResults.Coefficient k : a.coefficients()) {
                if (k.stat().value() != null) {
                    coef.add(k.name() + " " + k.stat().text() + " ("
                            + interval(k.stat().ci()) + ")");
                }
            }
            if (coef.isEmpty()) {
                continue;
            }
            b.append("Inter-rater agreement (")
                    .append(a.variable())
                    .append(", ")
                    .append(a.raters())
                    .append(" raters): ")
                    .append(String.join(", ", coef))
                    .append("; κ over the ")
                    .append(a.completeItems())
                    .append(" items every rater answered, α over all ")
                    .append(a.items())
                    .append(" items with missing answers allowed. ");
        }
        if (r.agreement().stream()
                .anyMatch(a -> a.coefficients().stream().anyMatch(k -> k.stat().ci() != null))) {
            b.append(
                            "Agreement intervals are 95 % percentile bootstrap intervals over items (raters fixed, items resampled"
                                    + " with replacement, ")
                    .append(boot)
                    .append("; resamples in which a coefficient is undefined are left out). ");
        }
        List<String> intra = r.intra().stream()
                .map(i -> i.rater() + " " + i.exact().text() + " over " + i.pairs() + " pairs (κ "
                        + i.kappa().text() + ")")
                .toList();
        if (!intra.isEmpty()) {
            b.append("Intra-rater consistency (same answer on the repeat as on the first showing): ")
                    .append(String.join("; ", intra))
                    .append(". ");
        }
        b.append(
                "Percentiles are numpy's linear percentiles (2.5 and 97.5); the resampling stream is SplitMix64 seeded with"
                        + " the session seed, as documented with the platform.");
        return b.toString();
    }

    private static String times(ReviewResults.Results r) {
        List<String> rows = new ArrayList<>();
        for (ReviewResults.TimeRow t : r.times()) {
            rows.add(t.rater() + ": median " + s1(t.median()) + " s (IQR " + s1(t.q1()) + " to " + s1(t.q3()) + " s, "
                    + t.n() + " showings, measured " + t.source()
                    + (t.breaks() > 0
                            ? ", " + t.breaks() + " longer than " + ReviewResults.BREAK.toMinutes()
                                    + " min left out as breaks"
                            : "")
                    + ")");
        }
        return String.join("; ", rows) + ".";
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String s1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String interval(BootstrapInterval ci) {
        return ci == null || !ci.isDefined()
                ? "interval undefined"
                : "95 % CI " + f3(ci.low()) + " to " + f3(ci.high());
    }

    private static String defined(BootstrapInterval ci) {
        return ci != null && ci.defined() < ci.resamples() ? ", " + ci.defined() + " of them defined" : "";
    }
}
