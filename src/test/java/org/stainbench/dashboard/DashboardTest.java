package org.stainbench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.util.HtmlUtils;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.ArchiveStatus;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.Evaluation;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.evaluation.Extractors;
import org.stainbench.evaluation.Metric;
import org.stainbench.evaluation.preprocess.ResizeFilter;
import org.stainbench.jobs.CommandJob;
import org.stainbench.jobs.JobQueue;
import org.stainbench.jobs.JobUsage;
import org.stainbench.jobs.Resources;
import org.stainbench.support.Waits;
import org.stainbench.tiles.SyntheticTiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard on data built through the modules' services and pages: two real evaluations of two baselines against
 * a real IHC dataset of its own marker (so other tests' evaluations in this shared context do not rank with them),
 * a GPU job run through the node-agent API, a 2AFC review session answered by a pathologist. Expected figures are
 * computed here from the evaluations' comparison tables, the jobs' recorded attempt times and the Wilson formula.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardTest {

    static final String MARKER = "DASH7";
    /** GPU-hours are sums of a few double products of recorded microsecond times. */
    static final double HOURS_EPS = 1e-9;
    /** 1.96: the normal quantile of the 95 % Wilson interval as review.stats uses it (to the shown 0.1 %). */
    static final double Z = 1.959963984540054;

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Extractors extractors;

    @Autowired
    Evaluations evaluations;

    @Autowired
    Accounts accounts;

    @Autowired
    JobQueue queue;

    @Autowired
    JobUsage usage;

    @Autowired
    Clock clock;

    @Autowired
    CatalogTiles catalogTiles;

    @Autowired
    Morning morning;

    @Autowired
    Dashboard dashboard;

    @Autowired
    Visits visits;

    long real;
    long he;
    Checkpoint remapA;
    Checkpoint remapB;
    Evaluation first;
    Evaluation second;
    long extractor;

    static UserRequestPostProcessor supervisor() {
        return user("dash-sup").roles("SUPERVISOR");
    }

    static UserRequestPostProcessor member() {
        return user("dash-mem").roles("MEMBER", "SUPERVISOR");
    }

    @BeforeAll
    void data(@TempDir Path tmp) throws Exception {
        real = catalog.createDataset("Dash real " + MARKER, Stain.IHC, MARKER, "test", 64, null, "test");
        for (int i = 0; i < 2; i++) {
            String name = "ihc_9" + i + "_1.npz";
            Path f = GeneratedFixtures.archive(tmp.resolve("real"), name, SyntheticTiles.Stain.CK7, 8, 64, 170 + i);
            try (InputStream in = Files.newInputStream(f)) {
                catalog.registerUpload(real, name, in, "test");
            }
        }
        GeneratedFixtures.await(
                "real ingest", () -> catalog.archives(real).stream().allMatch(a -> a.status() == ArchiveStatus.READY));
        he = GeneratedFixtures.dataset(
                catalog,
                "Dash H&E",
                Stain.HE,
                tmp.resolve("he"),
                List.of("he_81_1.npz", "he_82_1.npz", "he_83_1.npz"),
                6,
                64,
                180);
        remapA = checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "dash remap A", null, 1.0, 1.0, null, "test");
        remapB = checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "dash remap B", null, 0.6, 1.6, null, "test");
        checkpoints.applyBaseline(remapA.id(), he, "test");
        checkpoints.applyBaseline(remapB.id(), he, "test");
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, remapA.id());
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, remapB.id());
        Path model = tmp.resolve("random8.onnx");
        try (InputStream in = getClass().getResourceAsStream("/evaluation/random8.onnx")) {
            Files.copy(in, model);
        }
        try (InputStream in = Files.newInputStream(model)) {
            extractor = extractors
                    .register(
                            new Extractors.NewExtractor(
                                    "dash random8",
                                    16,
                                    16,
                                    ResizeFilter.BILINEAR_ANTIALIAS,
                                    1.0 / 255,
                                    0.0,
                                    new double[] {0.5, 0.5, 0.5},
                                    new double[] {0.25, 0.25, 0.25},
                                    8),
                            "random8.onnx",
                            in,
                            null,
                            "test")
                    .id();
        }
        // the first evaluation compares only A; the second A and B (finished later)
        first = evaluate("dash first", extractor, setOf(remapA));
        second = evaluate("dash second", extractor, setOf(remapA), setOf(remapB));
    }

    long setOf(Checkpoint c) {
        return checkpoints.sets(c.id()).get(0).id();
    }

    Evaluation evaluate(String name, long extractor, long... sets) throws Exception {
        return evaluate(name, "12", "0-1", sets);
    }

    /** An evaluation through the form with the given tiles per side and seeds (the rest as in every evaluation here). */
    Evaluation evaluate(String name, String tilesPerSide, String seeds, long... sets) throws Exception {
        var request = post("/evaluations")
                .with(member())
                .with(csrf())
                .param("name", name)
                .param("realDataset", Long.toString(real))
                .param("extractor", Long.toString(extractor))
                .param("tilesPerSide", tilesPerSide)
                .param("archives", "2")
                .param("cropSize", "32")
                .param("cropsPerTile", "2")
                .param("seeds", seeds)
                .param("kidSubsets", "4")
                .param("kidSubsetSize", "6")
                .param("batchSize", "6")
                .param("tileRule", "first")
                .param("bootstrapResamples", "0"); // the lab's rule: FID is seed-invariant here
        for (long s : sets) {
            request.param("sets", Long.toString(s));
        }
        MvcResult r =
                mvc.perform(request).andExpect(status().is3xxRedirection()).andReturn();
        long id = Long.parseLong(r.getResponse().getRedirectedUrl().replaceAll(".*/", ""));
        GeneratedFixtures.await("evaluation " + name, () -> List.of("DONE", "FAILED")
                .contains(evaluations.find(id).orElseThrow().status()));
        Evaluation e = evaluations.find(id).orElseThrow();
        assertThat(e.status()).as(e.error()).isEqualTo("DONE");
        return e;
    }

    String page(String url, UserRequestPostProcessor who) throws Exception {
        return mvc.perform(get(url).with(who))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    static String article(String html) {
        Matcher m = Pattern.compile("<article[^>]*data-target=\"" + MARKER + "\"[^>]*>(.*?)</article>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).as("a section for " + MARKER).isTrue();
        return m.group(1);
    }

    /** The section of {@link #MARKER} under one protocol fingerprint. */
    static String article(String html, String fingerprint) {
        Matcher m = Pattern.compile(
                        "<article[^>]*data-target=\"" + MARKER + "\"[^>]*data-fingerprint=\"" + fingerprint
                                + "\"[^>]*>(.*?)</article>",
                        Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find())
                .as("a section for " + MARKER + " under " + fingerprint)
                .isTrue();
        return m.group(1);
    }

    /** The chart data of {@link #MARKER} under one protocol fingerprint. */
    static JsonNode stain(String html, String fingerprint) {
        for (JsonNode s : chart(html).get("stains")) {
            if (s.get("target").asString().equals(MARKER)
                    && s.get("fingerprint").asString().equals(fingerprint)) {
                return s;
            }
        }
        throw new AssertionError("no chart data for " + MARKER + " under " + fingerprint);
    }

    static String href(Evaluation e) {
        return "href=\"/evaluations/" + e.id() + "\"";
    }

    static JsonNode chart(String html) {
        Matcher m = Pattern.compile("id=\"dashboard-data\"[^>]*data-chart=\"([^\"]*)\"")
                .matcher(html);
        assertThat(m.find()).isTrue();
        return JSON.readTree(HtmlUtils.htmlUnescape(m.group(1)));
    }

    /** The lowest mean of {@code metric} among an evaluation's rows, with the row's checkpoint id. */
    record Low(double mean, Double std, int n, Long checkpointId, boolean seedInvariant) {}

    Low lowest(Evaluation e, Metric metric) {
        return evaluations.comparison(e.id()).rows().stream()
                .filter(r -> r.mean(metric) != null)
                .min(Comparator.comparingDouble(r -> r.mean(metric)))
                .map(r -> new Low(
                        r.mean(metric),
                        r.std(metric),
                        r.n(metric),
                        r.subject().checkpointId(),
                        r.seedInvariant(metric)))
                .orElseThrow();
    }

    @Test
    void bestPerStainWithItsPreviousBestAndTheBestOverTime() throws Exception {
        Low a = lowest(first, Metric.FID);
        Low b = lowest(second, Metric.FID);
        Low best = b.mean() < a.mean() ? b : a;
        String html = page("/dashboard", supervisor());
        String section = article(html);
        String bestName = checkpoints.find(best.checkpointId()).orElseThrow().name();
        assertThat(section)
                .contains("best-checkpoint")
                .contains(bestName)
                .contains(Evaluations.number(best.mean()))
                .contains("2 finished evaluations");
        // FID uses every tile whatever the seed: one value marked seed-invariant, never "± 0.0000 (n = 2 seeds)"
        assertThat(best.seedInvariant()).isTrue();
        assertThat(section)
                .contains("class=\"pill seed-invariant\"")
                .doesNotContain("± " + Evaluations.number(best.std()))
                .doesNotContain("(n = " + best.n() + " seeds)");
        // the best links to the evaluation it comes from
        long bestEvaluation = b.mean() < a.mean() ? second.id() : first.id();
        assertThat(section)
                .containsPattern("class=\"best-value figure\" href=\"/evaluations/" + bestEvaluation
                        + "\"|href=\"/evaluations/" + bestEvaluation + "\"[^>]*class=\"best-value figure\"");
        if (b.mean() < a.mean()) {
            // moved against the best of the evaluation before: delta and percentage
            double delta = b.mean() - a.mean();
            assertThat(section)
                    .contains("−" + Evaluations.number(Math.abs(delta)))
                    .contains(String.format(Locale.ROOT, "(−%.1f %%)", Math.abs(100 * delta / a.mean())))
                    .contains("previous-best");
        } else {
            assertThat(section).contains("the best came with the first one");
        }
        // the best-so-far series: one step per evaluation, in finish order, each linking to its evaluation
        JsonNode stain = stain(html, first.fingerprint());
        JsonNode steps = stain.get("overTime");
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).get("y").asDouble()).isEqualTo(a.mean());
        assertThat(steps.get(0).get("seed_invariant").asBoolean()).isTrue();
        assertThat(steps.get(1).get("y").asDouble()).isEqualTo(Math.min(a.mean(), b.mean()));
        assertThat(steps.get(0).get("x").asLong()).isEqualTo(first.finishedAt().toEpochMilli());
        assertThat(steps.get(0).get("href").asString()).isEqualTo("/evaluations/" + first.id());
        assertThat(steps.get(1).get("href").asString()).isEqualTo("/evaluations/" + bestEvaluation);
        // the other stored metrics of the best row, each mean ± std
        var bestRow = evaluations.comparison(bestEvaluation).rows().stream()
                .filter(r -> best.checkpointId().equals(r.subject().checkpointId()))
                .findFirst()
                .orElseThrow();
        assertThat(section)
                .contains("data-metric=\"crop_fid\"")
                .contains(Evaluations.number(bestRow.mean(Metric.CROP_FID)));
        // baselines carry no training run: the epoch chart explains itself instead
        assertThat(section).contains("No evaluation of this stain compared the epochs of a training run yet");
    }

    @Test
    void theRankingMetricIsARequestParameterAmongTheStoredMetrics() throws Exception {
        Low a = lowest(first, Metric.CROP_FID);
        Low b = lowest(second, Metric.CROP_FID);
        Low best = b.mean() < a.mean() ? b : a;
        String html = page("/dashboard?metric=crop_fid", supervisor());
        assertThat(article(html))
                .contains("Best so far by <span>CropFID</span>")
                .contains(checkpoints.find(best.checkpointId()).orElseThrow().name())
                .contains("<strong>" + Evaluations.number(best.mean()) + "</strong>");
        assertThat(chart(html).get("metric").get("key").asString()).isEqualTo("crop_fid");

        String unknown = page("/dashboard?metric=accuracy", supervisor());
        assertThat(unknown)
                .contains("id=\"metric-note\"")
                .contains("&#39;accuracy&#39; is not a stored metric")
                .contains("ranked by FID");
        assertThat(article(unknown)).contains("Best so far by <span>FID</span>");
    }

    @Test
    void gpuHoursPerDayComeFromTheAttemptsOfAJobRunByANodeAgent() throws Exception {
        String token = accounts.issueNodeToken("dash-gpu-node", "admin");
        String gpus = "[{\"index\":0,\"name\":\"NVIDIA A40\",\"memoryMb\":46068,\"uuid\":\"GPU-a\"},"
                + "{\"index\":1,\"name\":\"NVIDIA A40\",\"memoryMb\":46068,\"uuid\":\"GPU-b\"}]";
        mvc.perform(post("/api/nodes/register")
                        .header("Authorization", "Bearer " + token)
                        .contentType("application/json")
                        .content("{\"name\":\"dash-gpu\",\"hostname\":\"h\",\"cpus\":1,\"memoryMb\":3,\"gpus\":" + gpus
                                + ",\"oneJob\":false,\"agentVersion\":\"test\"}"))
                .andExpect(status().isOk());
        long job = queue.submitCommand(
                CommandJob.shell("dash lora", "true", new Resources(2, 40000, 1, 3, Duration.ofMinutes(5)), "test"));
        String assignment = mvc.perform(
                        post("/api/nodes/dash-gpu/poll?waitMs=2000").header("Authorization", "Bearer " + token))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        JsonNode a = JSON.readTree(assignment);
        assertThat(a.get("jobId").asLong()).isEqualTo(job);
        String hold = "{\"node\":\"dash-gpu\",\"token\":\"" + a.get("token").asString() + "\"";
        mvc.perform(post("/api/jobs/" + job + "/start")
                        .header("Authorization", "Bearer " + token)
                        .contentType("application/json")
                        .content(hold + "}"))
                .andExpect(status().isNoContent());
        // at least 300 ms of GPU time on the application's clock between the attempt's start and its finish
        Instant started = queue.find(job).orElseThrow().startedAt();
        Waits.upTo(Duration.ofSeconds(5), "300 ms of the job's GPU time")
                .until(() -> Duration.between(started, clock.instant()).toMillis() >= 300);
        mvc.perform(post("/api/jobs/" + job + "/finish")
                        .header("Authorization", "Bearer " + token)
                        .contentType("application/json")
                        .content(hold + ",\"exitCode\":0,\"error\":null,\"cancelled\":false}"))
                .andExpect(status().isNoContent());

        Instant now = clock.instant();
        JobUsage.GpuSpan span = usage.gpuSpans(now.minus(Duration.ofDays(8)), now.plusSeconds(60)).stream()
                .filter(s -> s.jobId() == job)
                .findFirst()
                .orElseThrow();
        assertThat(span.holder()).isEqualTo("dash-gpu");
        assertThat(span.gpus()).isEqualTo(2);
        assertThat(span.end()).isNotNull();
        double expected = 2 * Duration.between(span.start(), span.end()).toNanos() / 3.6e12;
        assertThat(expected).isGreaterThan(0);

        // the last bar is today on the application's clock (the day before or after the page, if midnight passed)
        LocalDate before = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String html = page("/dashboard", supervisor());
        LocalDate after = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        JsonNode gpu = chart(html).get("gpu");
        assertThat(gpu.get("labels")).hasSize(7);
        assertThat(gpu.get("labels").get(6).asString()).isIn(before.toString(), after.toString());
        JsonNode node = null;
        for (JsonNode d : gpu.get("datasets")) {
            if (d.get("label").asString().equals("dash-gpu")) {
                node = d;
            }
        }
        assertThat(node).as("the node's bars").isNotNull();
        double sum = 0;
        for (JsonNode v : node.get("data")) {
            sum += v.asDouble();
        }
        assertThat(sum).isCloseTo(expected, within(HOURS_EPS));
        // the job links to its page; the node's current GPUs are listed
        assertThat(html).contains("href=\"/jobs/" + job + "\"").contains("2 × NVIDIA A40");
    }

    @Test
    void latestReviewResultsShowAccuracyWithItsWilsonInterval() throws Exception {
        accounts.createAccount("dash-path", Role.PATHOLOGIST, "pathologist-password-1");
        MvcResult created = mvc.perform(post("/review/sessions")
                        .with(member())
                        .with(csrf())
                        .param("name", "dash 2afc")
                        .param("mode", "TWO_AFC")
                        .param("instructions", "Which is real?")
                        .param("source", Long.toString(he))
                        .param("ck", Long.toString(remapA.id()))
                        .param("perCheckpoint", "4")
                        .param("realDataset", Long.toString(real))
                        .param("repeatPercent", "0")
                        .param("seed", "5")
                        .param("rater", "dash-path"))
                .andExpect(status().is3xxRedirection())
                .andReturn();
        String to = created.getResponse().getRedirectedUrl();
        assertThat(to).as(String.valueOf(created.getFlashMap().get("error"))).matches("/review/sessions/\\d+");
        long session = Long.parseLong(to.replaceAll(".*/", ""));
        var pathologist = user("dash-path").roles("PATHOLOGIST");
        List<String> choices = new ArrayList<>();
        for (int step = 1; step <= 20; step++) {
            String choice = step % 3 == 0 ? "RIGHT" : "LEFT";
            MvcResult r = mvc.perform(post("/review/sessions/" + session + "/rate/" + step)
                            .with(pathologist)
                            .with(csrf())
                            .param("choice", choice))
                    .andExpect(status().is3xxRedirection())
                    .andReturn();
            choices.add(choice);
            if (r.getResponse().getRedirectedUrl().endsWith("/rate")) {
                break;
            }
        }
        assertThat(choices).hasSize(4);

        String html = page("/dashboard", supervisor());
        Matcher row = Pattern.compile(
                        "<a href=\"/review/sessions/" + session + "/results\">dash 2afc</a>(.*?)</tr>", Pattern.DOTALL)
                .matcher(html);
        assertThat(row.find()).isTrue();
        Matcher fig = Pattern.compile(
                        "picked the real tile</span>:\\s*<a href=\"/review/sessions/" + session
                                + "/results\" class=\"figure\">([0-9.]+) % \\(95 % Wilson ([0-9.]+)–([0-9.]+) %, (\\d+) of (\\d+)\\)</a>")
                .matcher(row.group(1));
        assertThat(fig.find()).as(row.group(1)).isTrue();
        int k = Integer.parseInt(fig.group(4));
        int n = Integer.parseInt(fig.group(5));
        assertThat(n).isEqualTo(4);
        double p = (double) k / n;
        double centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + Z * Z / (4.0 * n * n)) / (1 + Z * Z / n);
        assertThat(fig.group(1)).isEqualTo(String.format(Locale.ROOT, "%.1f", 100 * p));
        assertThat(fig.group(2)).isEqualTo(String.format(Locale.ROOT, "%.1f", 100 * Math.max(0, centre - half)));
        assertThat(fig.group(3)).isEqualTo(String.format(Locale.ROOT, "%.1f", 100 * Math.min(1, centre + half)));
    }

    @Test
    void supervisorsGetTheDashboardAtHomeMembersTheOverviewPathologistsNeither() throws Exception {
        mvc.perform(get("/").with(supervisor())).andExpect(redirectedUrl("/dashboard"));
        String overview = page("/", member());
        assertThat(overview).contains("What this Stainbench holds").contains("id=\"to-dashboard\"");
        assertThat(overview).contains("data-nav=\"dashboard\"");
        mvc.perform(get("/dashboard").with(member())).andExpect(status().isOk());
        var pathologist = user("dash-path-2").roles("PATHOLOGIST");
        mvc.perform(get("/dashboard").with(pathologist)).andExpect(status().isForbidden());
        mvc.perform(get("/").with(pathologist)).andExpect(redirectedUrl("/review"));
    }

    @Test
    void theSupervisorsDashboardHasNoFormThatChangesAnything() throws Exception {
        String html = page("/dashboard", supervisor());
        Matcher forms = Pattern.compile("<form[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html);
        List<String> posting = new ArrayList<>();
        while (forms.find()) {
            if (forms.group().toLowerCase(Locale.ROOT).contains("method=\"post\"")) {
                posting.add(forms.group());
            }
        }
        // the layout's logout form is the only one that posts
        assertThat(posting).hasSize(1);
        assertThat(posting.get(0)).contains("/logout");
        assertThat(html).doesNotContainPattern("(?i)hx-(post|put|patch|delete)");
        assertThat(html).contains("id=\"search-input\"");
    }

    /**
     * Issue 16, deliverable 3: an evaluation of the same stain under another protocol (10 instead of 12 tiles per side)
     * gets its own fingerprint and its own standing, labelled with the protocol; it is never the best of, nor a move
     * against, the evaluations made under the first protocol. Its page names the protocol fields that differ.
     */
    @Test
    void evaluationsUnderAnotherProtocolAreRankedApartAndLabelled() throws Exception {
        Evaluation other = evaluate("dash other protocol", "10", "0-1", setOf(remapA), setOf(remapB));
        assertThat(first.fingerprint()).isNotNull().isEqualTo(second.fingerprint());
        assertThat(other.fingerprint()).isNotNull().isNotEqualTo(first.fingerprint());

        String html = page("/dashboard", supervisor());
        String a = article(html, first.fingerprint());
        String b = article(html, other.fingerprint());
        assertThat(a)
                .contains("2 finished evaluations")
                .doesNotContain(href(other))
                .contains("class=\"protocol-label\"")
                .contains("12 tiles per side");
        assertThat(b)
                .contains("1 finished evaluation<")
                .contains(href(other))
                .doesNotContain(href(first))
                .doesNotContain(href(second))
                .contains("class=\"protocol-label\"")
                .contains("10 tiles per side")
                .contains("No earlier evaluation of this stain: the best came with the first one.");
        assertThat(stain(html, first.fingerprint()).get("overTime")).hasSize(2);
        JsonNode steps = stain(html, other.fingerprint()).get("overTime");
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).get("href").asString()).isEqualTo("/evaluations/" + other.id());

        // the evaluation page lists the other evaluations of these checkpoints and what differs
        String page = page("/evaluations/" + other.id(), supervisor());
        Matcher related = Pattern.compile(
                        "<li class=\"related-evaluation\" data-evaluation=\"" + first.id()
                                + "\" data-same-protocol=\"false\">(.*?)</ul>",
                        Pattern.DOTALL)
                .matcher(page);
        assertThat(related.find()).as(page).isTrue();
        assertThat(related.group(1)).contains("different protocol").contains("tiles per side: 10 here, 12 there");
        assertThat(page("/evaluations/" + second.id(), supervisor()))
                .containsPattern("data-evaluation=\"" + first.id() + "\" data-same-protocol=\"true\"");
    }

    /**
     * Issue 16, deliverable 3: a run's metric by epoch joins every evaluation of the run under one fingerprint, each
     * epoch from the newest evaluation that has it: re-evaluating epoch 2 alone keeps epochs 1 and 3 on the curve.
     */
    @Test
    void aPartialReEvaluationOfOneEpochKeepsTheEarlierEpochsOnTheCurve() throws Exception {
        String run = "dash-run-" + Long.toHexString(System.nanoTime());
        Path root = catalog.allowedRoots().get(0);
        List<Long> sets = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            Path folder = root.resolve(run).resolve("epoch" + k);
            int i = 0;
            for (String suffix : List.of("81_1", "82_1", "83_1")) {
                GeneratedFixtures.archive(
                        folder, "ihc_" + suffix + ".npz", SyntheticTiles.Stain.CK7, 6, 64, 300 + 10L * k + i++);
            }
            Checkpoint c = checkpoints.register(
                    new Checkpoints.NewCheckpoint(
                            "dashrun-epoch" + k, null, "none", null, null, null, run, k, null, null, null),
                    null,
                    null,
                    null,
                    "test");
            checkpoints.registerGenerated(c.id(), he, folder.toString(), "test");
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
            sets.add(setOf(c));
        }
        // seeds 0-2: a protocol of its own, so the other tests' standings are not touched
        Evaluation all = evaluate("dash epochs 1-3", "12", "0-2", sets.get(0), sets.get(1), sets.get(2));
        Evaluation again = evaluate("dash epoch 2 again", "12", "0-2", sets.get(1));
        assertThat(again.fingerprint()).isEqualTo(all.fingerprint());

        JsonNode curve = null;
        String html = page("/dashboard", supervisor());
        for (JsonNode r : stain(html, all.fingerprint()).get("epochs")) {
            if (r.get("label").asString().equals("dashrun")) {
                curve = r;
            }
        }
        assertThat(curve).as("the run's curve").isNotNull();
        JsonNode points = curve.get("points");
        assertThat(points).hasSize(3);
        assertThat(List.of(
                        points.get(0).get("x").asInt(),
                        points.get(1).get("x").asInt(),
                        points.get(2).get("x").asInt()))
                .containsExactly(1, 2, 3);
        assertThat(points.get(0).get("href").asString()).isEqualTo("/evaluations/" + all.id());
        assertThat(points.get(1).get("href").asString()).isEqualTo("/evaluations/" + again.id());
        assertThat(points.get(2).get("href").asString()).isEqualTo("/evaluations/" + all.id());
        assertThat(curve.get("evaluations").asInt()).isEqualTo(2);
        // epoch 2's value is the re-evaluation's
        double epoch2 = evaluations.comparison(again.id()).rows().get(0).mean(Metric.FID);
        assertThat(points.get(1).get("y").asDouble()).isEqualTo(epoch2);
        String section = article(html, all.fingerprint());
        assertThat(section)
                .contains("data-epoch=\"1\" data-evaluation=\"" + all.id() + "\"")
                .contains("data-epoch=\"2\" data-evaluation=\"" + again.id() + "\"")
                .contains("data-epoch=\"3\" data-evaluation=\"" + all.id() + "\"")
                .contains("2</span> evaluations of this protocol");

        // issue 18: the leaderboard ranks the run's three epochs (trained, not baselines) by each one's best FID under
        // this protocol, epoch 2 by the better of its two evaluations; every bar links to the evaluation it comes from
        List<Double> bests = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            String name = "dashrun-epoch" + k;
            bests.add(java.util.stream.Stream.of(all, again)
                    .flatMap(e -> evaluations.comparison(e.id()).rows().stream())
                    .filter(r -> r.subject().label().contains(name)
                            || name.equals(checkpointName(r.subject().checkpointId())))
                    .mapToDouble(r -> r.mean(Metric.FID))
                    .min()
                    .orElseThrow());
        }
        List<String> expected = java.util.stream.IntStream.rangeClosed(1, 3)
                .boxed()
                .sorted(Comparator.comparingDouble(k -> bests.get(k - 1)))
                .map(k -> "dashrun-epoch" + k)
                .toList();
        Matcher names = Pattern.compile("<text class=\"lb-name\"[^>]*>\\d+\\. ([^<]+)</text>")
                .matcher(section);
        List<String> drawn = new ArrayList<>();
        while (names.find()) {
            drawn.add(names.group(1));
        }
        assertThat(drawn).isEqualTo(expected);
        assertThat(section).doesNotContain("class=\"lb-reference\"").contains("lb-bar lb-best");
    }

    String checkpointName(Long id) {
        return id == null ? null : checkpoints.find(id).map(Checkpoint::name).orElse(null);
    }

    /** The best mean of {@code metric} a checkpoint reached in the given evaluations. */
    double bestOf(Checkpoint c, Metric metric, Evaluation... in) {
        return java.util.Arrays.stream(in)
                .flatMap(e -> evaluations.comparison(e.id()).rows().stream())
                .filter(r -> Long.valueOf(c.id()).equals(r.subject().checkpointId()))
                .mapToDouble(r -> r.mean(metric))
                .min()
                .orElseThrow();
    }

    /**
     * Issue 18: per target stain and protocol a leaderboard of every evaluated checkpoint; the classical baselines
     * (here both checkpoints are stain-remapping baselines) are drawn as reference lines at their best value, each
     * linking to the evaluation it comes from, and listed as references in the table.
     */
    @Test
    void theLeaderboardDrawsTheBaselinesAsReferenceLines() throws Exception {
        String section = article(page("/dashboard", supervisor()), first.fingerprint());
        Matcher refs = Pattern.compile("<g class=\"lb-reference\">(.*?)</g>", Pattern.DOTALL)
                .matcher(section);
        List<String> lines = new ArrayList<>();
        while (refs.find()) {
            lines.add(refs.group(1));
        }
        assertThat(lines).hasSize(2);
        for (Checkpoint c : List.of(remapA, remapB)) {
            String value = Evaluations.number(bestOf(c, Metric.FID, first, second));
            assertThat(lines).anySatisfy(l -> assertThat(l)
                    .contains(c.name() + " " + value)
                    .contains("stroke-dasharray")
                    .containsPattern("href=\"/evaluations/(" + first.id() + "|" + second.id() + ")\""));
            assertThat(section).contains("href=\"/checkpoints/" + c.id() + "\"");
        }
        assertThat(section)
                .contains("id=\"leaderboard-")
                .contains("Only the baselines were evaluated under this protocol so far.")
                .contains("<td>ref.</td>")
                .contains("dashed lines: the classical baselines");
    }

    /**
     * Issue 18: beside the numbers, the best checkpoint's tiles with the H&amp;E tiles they were made from and real
     * tiles of the target stain, through the tile endpoints (each image answers a JPEG); every tile links to its source.
     */
    @Test
    void theBestCheckpointsTilesStandBesideTheirSourcesAndRealTiles() throws Exception {
        String html = page("/dashboard", supervisor());
        String section = article(html, first.fingerprint());
        Matcher strip = Pattern.compile(
                        "<section class=\"tile-strip\" id=\"strip-\\d+\">(.*?)</section>", Pattern.DOTALL)
                .matcher(section);
        assertThat(strip.find()).as(section).isTrue();
        String s = strip.group(1);
        Low a = lowest(first, Metric.FID);
        Low b = lowest(second, Metric.FID);
        Checkpoint best =
                checkpoints.find((b.mean() < a.mean() ? b : a).checkpointId()).orElseThrow();
        assertThat(s)
                .contains(best.name())
                .contains("Dash H&amp;E")
                .contains("Dash real " + MARKER)
                .contains("href=\"/galleries/random?")
                .contains("ck=" + best.id());
        for (String kind : List.of("source-tile", "generated-tile", "real-tile")) {
            Matcher img = Pattern.compile("<img class=\"strip-tile " + kind + "\" src=\"/tiles/(\\d+)/thumb\"")
                    .matcher(s);
            int n = 0;
            while (img.find()) {
                long tile = Long.parseLong(img.group(1));
                mvc.perform(get("/tiles/" + tile + "/thumb").with(supervisor()))
                        .andExpect(status().isOk())
                        .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                                .contentType("image/jpeg"));
                long dataset = catalogTiles.tile(tile).orElseThrow().datasetId();
                if (kind.equals("source-tile")) {
                    assertThat(dataset).isEqualTo(he);
                } else if (kind.equals("real-tile")) {
                    assertThat(dataset).isEqualTo(real);
                } else {
                    assertThat(dataset).isNotIn(he, real);
                }
                n++;
            }
            assertThat(n).as(kind + " images").isBetween(1, Morning.STRIP_TILES);
        }
    }

    /**
     * Issue 18: what changed since the user's last visit (kept per user: a reload within the visit gap keeps the same
     * reference), and the latest frozen report with its PDF.
     */
    @Test
    void whatChangedSinceTheLastVisitAndTheLatestFrozenReport() throws Exception {
        var visitor = user("dash-visitor").roles("SUPERVISOR");
        String firstVisit = page("/dashboard", visitor);
        assertThat(firstVisit)
                .contains("id=\"changes\"")
                .contains("The last 7 days")
                .contains("your first visit")
                .contains("Evaluation &#39;dash first&#39; finished (" + MARKER + ")")
                .contains(href(first));

        // a member freezes a report: it is the latest frozen report and a change since the visit before
        String to = mvc.perform(post("/reports")
                        .with(member())
                        .with(csrf())
                        .param("title", "Dash weekly figure")
                        .param("markdown", "CK7 this week."))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        mvc.perform(post(to + "/freeze").with(member()).with(csrf()).param("confirm", "yes"))
                .andExpect(status().is3xxRedirection());
        String again = page("/dashboard", visitor);
        Matcher latest = Pattern.compile("<article id=\"latest-report\">(.*?)</article>", Pattern.DOTALL)
                .matcher(again);
        assertThat(latest.find()).isTrue();
        assertThat(latest.group(1))
                .contains("href=\"" + to + "\"")
                .contains("Dash weekly figure")
                .contains("href=\"" + to + "/pdf\"");
        // within the visit gap the reference stays the first visit's: still "the last 7 days"
        assertThat(again)
                .contains("The last 7 days")
                .contains("Report &#39;Dash weekly figure&#39; frozen by dash-mem");

        // visits: a view more than the gap after the last one makes that visit the reference
        // (views 10 min apart are one visit; the reference is the last view of the visit before)
        Instant t0 = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant lastView = t0.minus(Duration.ofHours(3)).plusSeconds(600);
        assertThat(visits.seen("dash-v2", t0.minus(Duration.ofHours(3)))).isNull();
        assertThat(visits.seen("dash-v2", lastView)).isNull();
        assertThat(visits.seen("dash-v2", t0.minus(Duration.ofHours(2)))).isEqualTo(lastView);
        assertThat(visits.seen("dash-v2", t0.minus(Duration.ofHours(2)).plusSeconds(60)))
                .isEqualTo(lastView);
        assertThat(page("/dashboard", user("dash-v2").roles("SUPERVISOR"))).contains("Since your last visit");

        // changes after a moment: only what happened later
        List<Morning.Change> later = morning.changes(dashboard.view(null), second.finishedAt());
        assertThat(later)
                .noneMatch(c -> c.text().contains("'dash first'") || c.text().contains("'dash second'"))
                .anyMatch(c -> c.kind().equals("report") && c.href().equals(to));
        List<Morning.Change> earlier =
                morning.changes(dashboard.view(null), first.finishedAt().minusMillis(1));
        assertThat(earlier)
                .anyMatch(c -> c.kind().equals("evaluation") && c.href().equals("/evaluations/" + first.id()))
                .anyMatch(c -> c.kind().equals("evaluation") && c.href().equals("/evaluations/" + second.id()));
        assertThat(earlier)
                .isSortedAccordingTo(Comparator.comparing(Morning.Change::at).reversed());
    }

    /** Issue 16, deliverable 5: a checkpoint's lineage lists the evaluations that compared it and the review sessions that showed it. */
    @Test
    void aCheckpointsLineageListsItsEvaluationsAndReviewSessions() throws Exception {
        accounts.createAccount("dash-lineage-rater", Role.PATHOLOGIST, "Tulip-Quarry-4471");
        MvcResult created = mvc.perform(post("/review/sessions")
                        .with(member())
                        .with(csrf())
                        .param("name", "dash lineage 2afc")
                        .param("mode", "TWO_AFC")
                        .param("instructions", "Which is real?")
                        .param("source", Long.toString(he))
                        .param("ck", Long.toString(remapB.id()))
                        .param("perCheckpoint", "2")
                        .param("realDataset", Long.toString(real))
                        .param("repeatPercent", "0")
                        .param("seed", "7")
                        .param("rater", "dash-lineage-rater"))
                .andExpect(status().is3xxRedirection())
                .andReturn();
        String to = created.getResponse().getRedirectedUrl();
        assertThat(to).as(String.valueOf(created.getFlashMap().get("error"))).matches("/review/sessions/\\d+");

        String html = page("/checkpoints/" + remapB.id(), member());
        Matcher ev = Pattern.compile("<li[^>]*data-kind=\"evaluation\"[^>]*>(.*?)</li>", Pattern.DOTALL)
                .matcher(html);
        assertThat(ev.find()).as(html).isTrue();
        assertThat(ev.group(1))
                .contains(href(second))
                .contains("dash second")
                .doesNotContain(href(first))
                .doesNotContain("none yet");
        Matcher review = Pattern.compile("<li[^>]*data-kind=\"review session\"[^>]*>(.*?)</li>", Pattern.DOTALL)
                .matcher(html);
        assertThat(review.find()).as(html).isTrue();
        assertThat(review.group(1))
                .contains("href=\"" + to + "\"")
                .contains("dash lineage 2afc")
                .doesNotContain("none yet");
        assertThat(page("/checkpoints/" + remapA.id(), member()))
                .contains(href(first))
                .contains(href(second));
    }
}
