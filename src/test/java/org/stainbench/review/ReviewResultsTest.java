package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.support.Python;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17 items 5 and 6 over a real 2AFC session: the results page's pooled accuracy with its two-way cluster
 * bootstrap interval, Fleiss' kappa and Krippendorff's alpha with their item bootstrap intervals and time per item
 * equal a numpy re-implementation fed from the exported CSV (src/test/python/review_bootstrap_reference.py
 * --session); the methods paragraph states the CSV's counts and those numbers; thumbnails and the methods text are
 * for members and supervisors only.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewResultsTest {

    /** Same formula, different summation order (numpy versus loops). */
    static final double NUMPY = 1e-12;

    static final List<String> RATERS = List.of("rr-ana", "rr-ben", "rr-cai");

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Accounts accounts;

    @Autowired
    Reviews reviews;

    @Autowired
    ReviewStore store;

    @Autowired
    MockMvc mvc;

    long he;
    long ck7;
    List<Long> cks;
    List<String> ckNames = List.of("RR-reinhard", "RR-remap");

    @BeforeAll
    void data(@TempDir Path tmp) {
        he = GeneratedFixtures.dataset(
                catalog, "RR H&E", Stain.HE, tmp.resolve("he"), List.of("he_710_1.npz", "he_720_1.npz"), 8, 96, 1800);
        ck7 = GeneratedFixtures.dataset(
                catalog, "RR CK7", Stain.IHC, tmp.resolve("ck7"), List.of("ihc_810_1.npz"), 12, 96, 1900);
        Checkpoint r =
                checkpoints.createBaseline(CheckpointKind.REINHARD, ckNames.get(0), ck7, null, null, null, "test");
        Checkpoint s =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, ckNames.get(1), null, 1.0, 1.1, null, "test");
        checkpoints.applyBaseline(r.id(), he, "test");
        checkpoints.applyBaseline(s.id(), he, "test");
        cks = List.of(r.id(), s.id());
        for (long id : cks) {
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, id);
        }
        for (String u : RATERS) {
            accounts.createAccount(u, Role.PATHOLOGIST, "Tulip-Quarry-4471");
        }
        accounts.createAccount("rr-mem", Role.MEMBER, "Heron-Basalt-9182");
    }

    static MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder b, String who, String role) {
        return b.with(
                role.equals("MEMBER")
                        ? user(who).roles("MEMBER", "SUPERVISOR")
                        : user(who).roles(role));
    }

    String page(MockHttpServletRequestBuilder b) throws Exception {
        return mvc.perform(b)
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    /**
     * Three raters answer a 2AFC session (rr-cai only the first half of her steps) at known times, rr-ben with a
     * 20-minute break; correctness varies by rater and item.
     */
    ReviewSession answered(String name) {
        ReviewSession s = reviews.create(
                new Reviews.NewSession(
                        name,
                        ReviewMode.TWO_AFC,
                        "Which is real?",
                        null,
                        false,
                        ReviewSession.RANDOM,
                        he,
                        cks,
                        5,
                        ck7,
                        0,
                        25,
                        11L,
                        RATERS),
                "rr-mem");
        List<ReviewItem> items = store.items(s.id());
        Map<Long, ReviewItem> byId = new HashMap<>();
        for (ReviewItem i : items) {
            byId.put(i.id(), i);
        }
        Instant base = Instant.parse("2026-12-01T09:00:00Z");
        for (int r = 0; r < RATERS.size(); r++) {
            List<RaterSequence.Step> steps = reviews.steps(s, RATERS.get(r));
            Instant at = base.plusSeconds(3600L * r);
            int last = r == 2 ? steps.size() / 2 : steps.size();
            for (int k = 0; k < last; k++) {
                RaterSequence.Step st = steps.get(k);
                ReviewItem i = byId.get(st.itemId());
                int u = items.indexOf(i);
                boolean correct = (u * 7 + r * 3 + st.repeatNo()) % 5 < 3;
                String choice = correct == i.realLeft() ? "LEFT" : "RIGHT";
                at = at.plusMillis(1500 + 1000L * ((k * 7 + r * 5) % 11));
                if (r == 1 && k == 3) {
                    at = at.plus(Duration.ofMinutes(20));
                }
                store.saveAnswer(new ReviewAnswer(
                        0, s.id(), i.id(), RATERS.get(r), st.repeatNo(), choice, null, null, null, null, at));
            }
        }
        return s;
    }

    @Test
    void resultsAndMethodsEqualANumpyComputationFromTheCsv(@TempDir Path tmp) throws Exception {
        ReviewSession s = answered("rr 2afc three raters");
        List<ReviewItem> items = store.items(s.id());
        String csv = page(as(get("/review/sessions/" + s.id() + "/answers.csv"), "rr-mem", "MEMBER"));
        List<String> lines = csv.lines().toList();
        List<String> head = List.of(lines.get(0).split(","));
        int rater = head.indexOf("rater");
        int token = head.indexOf("item_token");
        int repeat = head.indexOf("repeat");
        int correct = head.indexOf("correct");
        int checkpoint = head.indexOf("checkpoint");
        int seconds = head.indexOf("seconds");
        int source = head.indexOf("time_source");
        assertThat(seconds).as("CSV has seconds").isPositive();

        // the first-showing table from the CSV, laid out as documented: raters in session order x items by position
        Map<String, Integer> col = new HashMap<>();
        for (int u = 0; u < items.size(); u++) {
            col.put(items.get(u).token(), u);
        }
        Map<String, Boolean[]> table = new LinkedHashMap<>();
        Map<String, List<Double>> secs = new TreeMap<>();
        Map<String, java.util.Set<String>> tokensPerCheckpoint = new TreeMap<>();
        Map<String, long[]> perRater = new HashMap<>();
        long first = 0;
        long breaks = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            tokensPerCheckpoint
                    .computeIfAbsent(f[checkpoint], x -> new java.util.TreeSet<>())
                    .add(f[token]);
            if (!f[seconds].isEmpty()) {
                secs.computeIfAbsent(f[rater], x -> new ArrayList<>()).add(Double.parseDouble(f[seconds]));
            }
            breaks += f[source].startsWith("break") ? 1 : 0;
            if (f[repeat].equals("0")) {
                first++;
                boolean ok = Boolean.parseBoolean(f[correct]);
                table.computeIfAbsent(f[rater], x -> new Boolean[items.size()])[col.get(f[token])] = ok;
                long[] kn = perRater.computeIfAbsent(f[rater], x -> new long[2]);
                kn[0] += ok ? 1 : 0;
                kn[1]++;
            }
        }
        assertThat(breaks).as("rr-ben's 20-minute break").isEqualTo(1);
        List<List<Boolean>> rows = new ArrayList<>();
        for (String r : RATERS) {
            rows.add(java.util.Arrays.asList(table.get(r)));
        }
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("seed", s.seed());
        in.put("resamples", ReviewResults.RESAMPLES);
        in.put("correct", rows);
        in.put(
                "ratings",
                rows.stream()
                        .map(r -> r.stream()
                                .map(b -> b == null ? null : b ? 1 : 0)
                                .toList())
                        .toList());
        in.put("seconds", secs);
        Path json = tmp.resolve("session.json");
        Files.writeString(json, JsonMapper.builder().build().writeValueAsString(in));
        JsonNode ref =
                JsonMapper.builder().build().readTree(Python.run("review_bootstrap_reference.py", "--session", json));

        ReviewResults.Results res = ReviewResults.compute(
                s, items, RATERS, store.answers(s.id()), ck -> "ck" + ck, store.shownAt(s.id()), true);
        // pooled accuracy and its two-way cluster bootstrap interval
        ReviewResults.AccuracyRow pooled = res.accuracy().stream()
                .filter(a -> a.pooled() && a.group().equals("all items"))
                .findFirst()
                .orElseThrow();
        JsonNode c = ref.get("cluster");
        assertThat(pooled.correct()).isEqualTo(c.get("correct").asLong());
        assertThat(pooled.n()).isEqualTo(c.get("answered").asLong());
        assertThat(pooled.accuracy()).isCloseTo(c.get("point").asDouble(), within(NUMPY));
        assertThat(pooled.cluster().resamples()).isEqualTo(ReviewResults.RESAMPLES);
        assertThat(pooled.cluster().defined())
                .isEqualTo(c.get("interval").get("defined").asInt());
        assertThat(pooled.cluster().low())
                .isCloseTo(c.get("interval").get("low").asDouble(), within(NUMPY));
        assertThat(pooled.cluster().high())
                .isCloseTo(c.get("interval").get("high").asDouble(), within(NUMPY));
        assertThat(pooled.clusterRaters()).isEqualTo(3);
        // per checkpoint rows carry their own cluster intervals
        assertThat(res.accuracy().stream().filter(a -> a.pooled() && !a.group().equals("all items")))
                .hasSize(2)
                .allMatch(a -> a.cluster().isDefined());
        // agreement: Fleiss' kappa over complete items and nominal alpha over all items, each with its interval
        ReviewResults.AgreementRow ag = res.agreement().get(0);
        JsonNode fl = ref.get("fleiss");
        assertThat(ag.completeItems()).isEqualTo(fl.get("items").asInt());
        assertThat(ag.fleiss().value()).isCloseTo(fl.get("point").asDouble(), within(NUMPY));
        assertThat(ag.fleiss().ci().low())
                .isCloseTo(fl.get("interval").get("low").asDouble(), within(NUMPY));
        assertThat(ag.fleiss().ci().high())
                .isCloseTo(fl.get("interval").get("high").asDouble(), within(NUMPY));
        assertThat(ag.fleiss().ci().defined())
                .isEqualTo(fl.get("interval").get("defined").asInt());
        JsonNode al = ref.get("alpha");
        assertThat(ag.alphaNominal().value()).isCloseTo(al.get("point").asDouble(), within(NUMPY));
        assertThat(ag.alphaNominal().ci().low())
                .isCloseTo(al.get("interval").get("low").asDouble(), within(NUMPY));
        assertThat(ag.alphaNominal().ci().high())
                .isCloseTo(al.get("interval").get("high").asDouble(), within(NUMPY));
        assertThat(ag.cohen().value()).as("three raters: no Cohen").isNull();
        // time per item: per rater median and quartiles of the CSV's seconds
        for (String r : RATERS) {
            ReviewResults.TimeRow t = res.times().stream()
                    .filter(x -> x.rater().equals(r))
                    .findFirst()
                    .orElseThrow();
            JsonNode e = ref.get("times").get(r);
            assertThat(t.n()).isEqualTo(e.get("n").asInt());
            assertThat(t.median()).isCloseTo(e.get("median").asDouble(), within(NUMPY));
            assertThat(t.q1()).isCloseTo(e.get("q1").asDouble(), within(NUMPY));
            assertThat(t.q3()).isCloseTo(e.get("q3").asDouble(), within(NUMPY));
            assertThat(t.source()).isEqualTo(ReviewResults.TIME_GAP);
        }

        // the page shows these, and the methods paragraph states the CSV's counts and the same numbers
        String html = page(as(get("/review/sessions/" + s.id() + "/results"), "rr-mem", "MEMBER"));
        String methods = page(as(get("/review/sessions/" + s.id() + "/methods.txt"), "rr-mem", "MEMBER"));
        assertThat(html)
                .contains("id=\"methods-text\"")
                .contains(pooled.clusterText())
                .contains(ag.fleiss().ciText());
        for (String paragraph : methods.split("\n\n")) {
            String text = paragraph.substring(paragraph.indexOf(". ") + 2).trim();
            assertThat(org.springframework.web.util.HtmlUtils.htmlUnescape(html))
                    .contains(text);
        }
        long answers = lines.size() - 1;
        assertThat(methods)
                .contains("3 pathologists were assigned; " + table.size() + " answered, giving " + answers
                        + " answers: " + first + " first showings and " + (answers - first) + " repeated showings.");
        String itemsLine = items.size() + " items: "
                + tokensPerCheckpoint.get(ckNames.get(0)).size() + " of checkpoint \"" + ckNames.get(0) + "\", "
                + tokensPerCheckpoint.get(ckNames.get(1)).size() + " of checkpoint \"" + ckNames.get(1) + "\"";
        assertThat(methods).contains(itemsLine);
        assertThat(methods)
                .contains(String.format(
                        Locale.ROOT,
                        "Pooled accuracy (picked the real tile) was %.3f (%d of %d" + " answers; 95 %% CI %.3f to %.3f",
                        c.get("point").asDouble(),
                        c.get("correct").asLong(),
                        c.get("answered").asLong(),
                        c.get("interval").get("low").asDouble(),
                        c.get("interval").get("high").asDouble()));
        assertThat(methods).contains("B = " + ReviewResults.RESAMPLES + " resamples, seed " + s.seed());
        for (String r : RATERS) {
            long[] kn = perRater.get(r);
            assertThat(methods)
                    .contains(String.format(Locale.ROOT, "%s %.3f (%d/%d, ", r, (double) kn[0] / kn[1], kn[0], kn[1]));
            JsonNode e = ref.get("times").get(r);
            assertThat(methods)
                    .contains(String.format(
                            Locale.ROOT,
                            "%s: median %.1f s (IQR %.1f to %.1f s, %d showings",
                            r,
                            e.get("median").asDouble(),
                            e.get("q1").asDouble(),
                            e.get("q3").asDouble(),
                            e.get("n").asInt()));
        }
        assertThat(methods)
                .contains(String.format(
                        Locale.ROOT,
                        "Fleiss' κ %.3f (95 %% CI %.3f to %.3f)",
                        fl.get("point").asDouble(),
                        fl.get("interval").get("low").asDouble(),
                        fl.get("interval").get("high").asDouble()));
        assertThat(methods)
                .contains(String.format(
                        Locale.ROOT,
                        "Krippendorff's α (nominal) %.3f (95 %% CI %.3f to %.3f)",
                        al.get("point").asDouble(),
                        al.get("interval").get("low").asDouble(),
                        al.get("interval").get("high").asDouble()));
        assertThat(methods).contains("1 longer than 10 min left out as breaks").contains("random sample (seed 11)");
    }

    @Test
    void thumbnailsAndMethodsAreForMembersAndSupervisorsOnly() throws Exception {
        ReviewSession s = answered("rr 2afc access");
        String html = page(as(get("/review/sessions/" + s.id() + "/results"), "rr-sup", "SUPERVISOR"));
        Matcher m = Pattern.compile("/tiles/(\\d+)/thumb").matcher(html);
        List<String> thumbs = new ArrayList<>();
        while (m.find()) {
            thumbs.add(m.group());
        }
        // 2AFC: a generated and a real thumbnail per item
        assertThat(thumbs).hasSize(2 * store.items(s.id()).size());
        mvc.perform(as(get(thumbs.get(0)), "rr-sup", "SUPERVISOR")).andExpect(status().isOk());
        // a rater (even one of this session) gets neither the thumbnails nor the results, methods or CSV
        mvc.perform(as(get(thumbs.get(0)), "rr-ana", "PATHOLOGIST")).andExpect(status().isForbidden());
        for (String path : List.of("/results", "/methods.txt", "/answers.csv")) {
            mvc.perform(as(get("/review/sessions/" + s.id() + path), "rr-ana", "PATHOLOGIST"))
                    .andExpect(status().isForbidden());
        }
        String text = page(as(get("/review/sessions/" + s.id() + "/methods.txt"), "rr-sup", "SUPERVISOR"));
        assertThat(text).startsWith("Design. We ran a blinded reader study").contains("Randomisation and blinding.");
    }

    @Test
    void timePerItemUsesShownAtWhereRecordedAndOtherwiseTheGapSinceThePreviousAnswer() {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        List<ReviewAnswer> answers = List.of(
                new ReviewAnswer(1, 1, 10, "a", 0, "LEFT", null, null, null, null, t0),
                new ReviewAnswer(2, 1, 11, "a", 0, "LEFT", null, null, null, null, t0.plusSeconds(4)),
                new ReviewAnswer(3, 1, 12, "a", 0, "LEFT", null, null, null, null, t0.plusSeconds(10)),
                new ReviewAnswer(4, 1, 13, "a", 0, "LEFT", null, null, null, null, t0.plusSeconds(10 + 3600)),
                new ReviewAnswer(5, 1, 10, "b", 0, "LEFT", null, null, null, null, t0.plusSeconds(7)));
        // without shown-at: gaps; a's first answer and b's only answer have none; the hour is a break
        Map<Long, ReviewResults.Timed> gaps = ReviewResults.timing(answers, Map.of());
        assertThat(gaps).containsOnlyKeys(2L, 3L, 4L);
        assertThat(gaps.get(2L).seconds()).isEqualTo(4.0);
        assertThat(gaps.get(3L).seconds()).isEqualTo(6.0);
        assertThat(gaps.get(4L).isBreak()).isTrue();
        List<ReviewResults.TimeRow> rows = ReviewResults.times(List.of("a", "b"), answers, Map.of());
        assertThat(rows).extracting(ReviewResults.TimeRow::rater).containsExactly("a", "all raters");
        assertThat(rows.get(0).median()).isEqualTo(5.0);
        assertThat(rows.get(0).breaks()).isEqualTo(1);
        // with the shown-at column (issue 17 item 4): answered minus shown, first answers included
        Map<Long, Instant> shown = Map.of(1L, t0.minusSeconds(3), 5L, t0.plusSeconds(5), 4L, t0.plusSeconds(3605));
        Map<Long, ReviewResults.Timed> timed = ReviewResults.timing(answers, shown);
        assertThat(timed.get(1L).seconds()).isEqualTo(3.0);
        assertThat(timed.get(5L).seconds()).isEqualTo(2.0);
        assertThat(timed.get(4L).seconds()).isEqualTo(5.0);
        assertThat(timed.get(4L).source()).isEqualTo(ReviewResults.TIME_SHOWN);
        assertThat(timed.get(2L).source()).isEqualTo(ReviewResults.TIME_GAP);
        assertThat(ReviewResults.times(List.of("a", "b"), answers, shown).get(0).source())
                .startsWith("mixed");
    }
}
