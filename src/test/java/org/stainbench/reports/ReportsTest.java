package org.stainbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.artifacts.ArtifactStore;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.evaluation.Evaluations;
import org.stainbench.shell.SearchSource;
import org.stainbench.shell.Sha256;

/**
 * Reports through MockMvc: every block type composed (full page and htmx), reordered, edited and removed; Markdown with
 * raw HTML escaped; bad input refused with a message and nothing written; freezing keeps a snapshot (numbers and
 * images) that renders and exports identically after the evaluation's stored values change; a frozen report refuses
 * edits and duplicates as a live draft; a supervisor sees no control and cannot post.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsTest {

    static final Path SHEET = Path.of("..", "shared", "data", "lab", "quantitative_results.xlsx");

    @Autowired
    MockMvc mvc;

    @Autowired
    Reports reports;

    @Autowired
    Evaluations evaluations;

    @Autowired
    Catalog catalog;

    @Autowired
    Checkpoints checkpoints;

    @Autowired
    Accounts accounts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ReportSearch search;

    @Autowired
    ArtifactStore artifacts;

    @Value("${stainbench.data-dir}")
    String dataDir;

    long evaluation;
    long he;
    long remap;
    long session;

    @BeforeAll
    void data(@TempDir Path tmp) throws Exception {
        try (InputStream in = Files.newInputStream(SHEET)) {
            evaluation = evaluations
                    .importSheet("quantitative_results.xlsx", in, "rp-mem")
                    .id();
        }
        he = GeneratedFixtures.dataset(
                catalog,
                "Report H&E",
                Stain.HE,
                tmp.resolve("he"),
                List.of("he_710_1.npz", "he_720_1.npz", "he_730_1.npz"),
                6,
                64,
                810);
        Checkpoint c =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "report remap", null, 1.0, 1.0, null, "test");
        checkpoints.applyBaseline(c.id(), he, "test");
        GeneratedFixtures.awaitGenerated(checkpoints, catalog, c.id());
        remap = c.id();
        accounts.createAccount("rp-ana", Role.PATHOLOGIST, "pathologist-pw");
        String to = mvc.perform(post("/review/sessions")
                        .with(user("rp-mem").roles("MEMBER", "SUPERVISOR"))
                        .with(csrf())
                        .param("name", "report likert")
                        .param("mode", "LIKERT")
                        .param("selection", "GALLERY")
                        .param("source", "" + he)
                        .param("ck", "" + remap)
                        .param("perCheckpoint", "2")
                        .param("realCount", "0")
                        .param("repeatPercent", "10")
                        .param("seed", "5")
                        .param("rater", "rp-ana")
                        .param("instructions", "Score it.")
                        .param("criteria", "Pattern"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        session = Long.parseLong(to.replaceAll(".*/", ""));
    }

    static MockHttpServletRequestBuilder member(MockHttpServletRequestBuilder b) {
        return b.with(user("rp-mem").roles("MEMBER", "SUPERVISOR")).with(csrf());
    }

    static MockHttpServletRequestBuilder hx(MockHttpServletRequestBuilder b) {
        return member(b).header("HX-Request", "true");
    }

    String page(MockHttpServletRequestBuilder b) throws Exception {
        return mvc.perform(b)
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    String flash(MockHttpServletRequestBuilder b, String key) throws Exception {
        Object v = mvc.perform(b)
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getFlashMap()
                .get(key);
        return v == null ? null : v.toString();
    }

    long create(String title, String markdown) throws Exception {
        String to = mvc.perform(member(post("/reports")).param("title", title).param("markdown", markdown))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        assertThat(to).matches("/reports/\\d+");
        return Long.parseLong(to.replaceAll(".*/", ""));
    }

    List<BlockKind> kinds(long id) {
        return reports.blocks(id).stream().map(Block::kind).toList();
    }

    long activities(String action, long id) {
        return jdbc.sql("select count(*) from activity where subject_type = 'report' and action = ? and subject_id = ?")
                .params(action, "" + id)
                .query(Long.class)
                .single();
    }

    @Test
    void everyBlockTypeIsComposedReorderedEditedAndRemovedFullPageAndHtmx() throws Exception {
        long before = reports.count();
        assertThat(flash(member(post("/reports")).param("title", "  "), "error"))
                .isEqualTo("Give the report a title.");
        assertThat(reports.count()).isEqualTo(before);

        assertThat(page(get("/reports/new").with(user("rp-mem").roles("MEMBER", "SUPERVISOR"))))
                .contains("id=\"new-report-form\"")
                .doesNotContain("value=\"&lt;title");
        long id = create(
                "Figure 3 draft", "Intro with <script>alert('x')</script> and **bold** [bad](javascript:alert(1))");
        assertThat(kinds(id)).containsExactly(BlockKind.TEXT);
        // full page: redirect with flash
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks"))
                                .param("kind", "table")
                                .param("evaluation", "" + evaluation)
                                .param("metrics", "fid", "crop_fid"),
                        "message"))
                .isEqualTo("Comparison table block added.");
        // htmx: the blocks fragment, no layout
        String frag = page(hx(post("/reports/" + id + "/blocks"))
                .param("kind", "chart")
                .param("evaluation", "" + evaluation)
                .param("metrics", "crop_fid")
                .param("chart", "both"));
        assertThat(frag)
                .contains("id=\"blocks\"")
                .contains("Chart block added.")
                .contains("data-chart-of=\"epoch\"")
                .doesNotContain("id=\"nav\"");
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks"))
                                .param("kind", "gallery")
                                .param("gallery", "random")
                                .param("source", "" + he)
                                .param("checkpoints", "" + remap)
                                .param("seed", "3")
                                .param("rows", "2"),
                        "message"))
                .isEqualTo("Gallery block added.");
        assertThat(page(hx(post("/reports/" + id + "/blocks"))
                        .param("kind", "review")
                        .param("session", "" + session)))
                .contains("Review results block added.")
                .contains("report likert");
        assertThat(kinds(id))
                .containsExactly(BlockKind.TEXT, BlockKind.TABLE, BlockKind.CHART, BlockKind.GALLERY, BlockKind.REVIEW);

        // bad input: a clear message, nothing written
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks"))
                                .param("kind", "table")
                                .param("evaluation", "987654"),
                        "error"))
                .isEqualTo("No evaluation with id 987654.");
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks"))
                                .param("kind", "text")
                                .param("markdown", " \n "),
                        "error"))
                .contains("The text block is empty");
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks"))
                                .param("kind", "gallery")
                                .param("rows", "3"),
                        "error"))
                .contains("Choose at least one checkpoint");
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks"))
                                .param("kind", "table")
                                .param("evaluation", "" + evaluation)
                                .param("metrics", "psnr"),
                        "error"))
                .contains("Unknown metric 'psnr'");
        assertThat(page(hx(post("/reports/" + id + "/blocks"))
                        .param("kind", "chart")
                        .param("evaluation", "abc")))
                .contains("The evaluation must be a whole number, not &#39;abc&#39;.");
        assertThat(kinds(id)).hasSize(5);

        String html = page(get("/reports/" + id).with(user("rp-mem").roles("MEMBER", "SUPERVISOR")));
        // Markdown rendered, raw HTML escaped, the javascript: link dropped
        assertThat(html)
                .contains("<strong>bold</strong>")
                .contains("&lt;script&gt;alert(")
                .doesNotContain("<script>alert(")
                .doesNotContain("href=\"javascript:");
        // the table (only the chosen metrics), its best value marked; the chart; gallery tiles; review results
        assertThat(html)
                .contains("CUSTOM_NPZ_CK7_lora_20")
                .contains("116.56 ± 1.16")
                .contains("class=\"num best\"")
                .contains("<th>FID</th>")
                .contains("<th>CropFID</th>")
                .doesNotContain("<th>KID</th>")
                .contains("data-chart-kind=\"bar\"")
                .contains("data-chart-metric=\"crop_fid\"")
                .contains("/tiles/")
                .contains("Random gallery, seed 3")
                .contains("report likert")
                .contains("id=\"live-badge\"")
                .contains("<nav");
        // the chart block's canvas carries the chart data Chart.js draws (charts.js), no image is drawn on the server
        assertThat(html)
                .contains("data-png-of=\"chart-" + reports.blocks(id).get(2).id() + "-bar\"");
        mvc.perform(get("/reports/" + id + "/blocks/"
                                + reports.blocks(id).get(2).id() + "/chart.png")
                        .with(user("rp-sup").roles("SUPERVISOR")))
                .andExpect(status().isNotFound());

        // reorder: the table up (full page), then the review block up (htmx), an end block stays put
        List<Block> b = reports.blocks(id);
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks/" + b.get(1).id() + "/move"))
                                .param("dir", "up"),
                        "message"))
                .isEqualTo("Block moved up.");
        page(hx(post("/reports/" + id + "/blocks/" + b.get(4).id() + "/move")).param("dir", "up"));
        page(hx(post("/reports/" + id + "/blocks/" + b.get(1).id() + "/move")).param("dir", "up"));
        assertThat(kinds(id))
                .containsExactly(BlockKind.TABLE, BlockKind.TEXT, BlockKind.CHART, BlockKind.REVIEW, BlockKind.GALLERY);
        assertThat(reports.blocks(id)).extracting(Block::position).containsExactly(0, 1, 2, 3, 4);

        // edit the text (htmx), remove the chart (full page)
        long text = reports.blocks(id).get(1).id();
        assertThat(page(hx(post("/reports/" + id + "/blocks/" + text)).param("markdown", "# Results\nRevised.")))
                .contains("Block saved.")
                .contains("<h1>Results</h1>");
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks/"
                                + reports.blocks(id).get(2).id() + "/delete")),
                        "message"))
                .isEqualTo("Block removed.");
        assertThat(kinds(id)).containsExactly(BlockKind.TABLE, BlockKind.TEXT, BlockKind.REVIEW, BlockKind.GALLERY);
        assertThat(reports.blocks(id)).extracting(Block::position).containsExactly(0, 1, 2, 3);
        assertThat(activities("created", id)).isEqualTo(1);
        assertThat(activities("edited", id)).isGreaterThanOrEqualTo(8);

        // list, full page and htmx twin; search by title and by text
        assertThat(page(get("/reports").with(user("rp-sup").roles("SUPERVISOR"))))
                .contains("Figure 3 draft")
                .contains("<nav");
        assertThat(page(get("/reports")
                        .header("HX-Request", "true")
                        .with(user("rp-sup").roles("SUPERVISOR"))))
                .contains("Figure 3 draft")
                .doesNotContain("id=\"nav\"");
        assertThat(page(get("/reports/" + id)
                        .header("HX-Request", "true")
                        .with(user("rp-sup").roles("SUPERVISOR"))))
                .contains("id=\"blocks\"")
                .doesNotContain("id=\"nav\"");
        assertThat(search.search("figure 3", 10))
                .extracting(SearchSource.Hit::href)
                .contains("/reports/" + id);
        assertThat(search.search("revised", 10))
                .extracting(SearchSource.Hit::href)
                .contains("/reports/" + id);
        assertThat(search.search("no such words anywhere", 10)).isEmpty();
    }

    @Test
    void freezingKeepsASnapshotThatOutlivesChangedDataAndRefusesEdits() throws Exception {
        long ev;
        try (InputStream in = Files.newInputStream(SHEET)) {
            ev = evaluations.importSheet("frozen-sheet.xlsx", in, "rp-mem").id();
        }
        long id = create("Frozen figure", "Numbers as of today.");
        flash(
                member(post("/reports/" + id + "/blocks"))
                        .param("kind", "table")
                        .param("evaluation", "" + ev),
                "message");
        flash(
                member(post("/reports/" + id + "/blocks"))
                        .param("kind", "chart")
                        .param("evaluation", "" + ev)
                        .param("metrics", "crop_fid"),
                "message");
        flash(
                member(post("/reports/" + id + "/blocks"))
                        .param("kind", "gallery")
                        .param("checkpoints", "" + remap)
                        .param("seed", "9")
                        .param("rows", "2")
                        .param("source", "" + he),
                "message");
        long table = reports.blocks(id).get(1).id();

        // freezing needs a confirmation
        assertThat(flash(member(post("/reports/" + id + "/freeze")), "error")).contains("Confirm freezing");
        assertThat(reports.require(id).frozen()).isFalse();
        String liveCsv = page(get("/reports/" + id + "/blocks/" + table + "/table.csv")
                .with(user("rp-sup").roles("SUPERVISOR")));

        String frag = page(hx(post("/reports/" + id + "/freeze")).param("confirm", "yes"));
        assertThat(frag)
                .contains("Report frozen at")
                .contains("id=\"frozen-badge\"")
                .doesNotContain("id=\"add-blocks\"");
        Report r = reports.require(id);
        assertThat(r.frozen()).isTrue();
        assertThat(r.frozenBy()).isEqualTo("rp-mem");
        assertThat(reports.blocks(id)).allMatch(b -> b.snapshot() != null);
        assertThat(activities("frozen", id)).isEqualTo(1);
        // the gallery's tiles are kept on the artifact store, named by their SHA-256
        BlockData gallery = reports.data(r, reports.blocks(id).get(3));
        List<String> shas = gallery.gallery().rows().stream()
                .flatMap(x -> x.cells().stream())
                .map(BlockData.GalleryCell::sha256)
                .toList();
        assertThat(shas).hasSize(4).allMatch(s -> s != null && s.matches("[0-9a-f]{64}"));
        for (String sha : shas) {
            assertThat(Sha256.of(artifacts.readAllBytes("reports/images/" + sha + ".jpg")))
                    .isEqualTo(sha);
        }
        String frozenPage = page(get("/reports/" + id).with(user("rp-sup").roles("SUPERVISOR")));
        assertThat(frozenPage)
                .contains("/reports/" + id + "/images/" + shas.get(0) + ".jpg")
                .doesNotContain("/tiles/");
        String print = page(get("/reports/" + id + "/print").with(user("rp-sup").roles("SUPERVISOR")));
        String frozenCsv = page(get("/reports/" + id + "/blocks/" + table + "/table.csv")
                .with(user("rp-sup").roles("SUPERVISOR")));
        String frozenTex = page(get("/reports/" + id + "/blocks/" + table + "/table.tex")
                .with(user("rp-sup").roles("SUPERVISOR")));
        assertThat(frozenCsv).isEqualTo(liveCsv).isEqualTo(evaluations.csv(ev));
        assertThat(frozenTex).isEqualTo(evaluations.latex(ev)).contains("\\mathbf{116.56 \\pm 1.16}");
        assertThat(activities("exported", id)).isEqualTo(3);

        // the evaluation's stored values change (as if it were re-run)
        jdbc.sql(
                        "update evaluation_summary set mean = mean + 1000 where subject_id in (select id from evaluation_subject where evaluation_id = ?)")
                .param(ev)
                .update();
        jdbc.sql(
                        "update evaluation_value set val = val + 1000 where subject_id in (select id from evaluation_subject where evaluation_id = ?)")
                .param(ev)
                .update();
        assertThat(evaluations.csv(ev)).isNotEqualTo(frozenCsv);
        assertThat(page(get("/reports/" + id).with(user("rp-sup").roles("SUPERVISOR"))))
                .contains("116.56 ± 1.16")
                .doesNotContain("1116.56");
        assertThat(page(get("/reports/" + id + "/print").with(user("rp-sup").roles("SUPERVISOR"))))
                .isEqualTo(print);
        assertThat(page(get("/reports/" + id + "/blocks/" + table + "/table.csv")
                        .with(user("rp-sup").roles("SUPERVISOR"))))
                .isEqualTo(frozenCsv);
        assertThat(page(get("/reports/" + id + "/blocks/" + table + "/table.tex")
                        .with(user("rp-sup").roles("SUPERVISOR"))))
                .isEqualTo(frozenTex);

        // frozen: every change refused with a clear message, full page and htmx
        int blocks = reports.blocks(id).size();
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks"))
                                .param("kind", "text")
                                .param("markdown", "late"),
                        "error"))
                .contains("is frozen")
                .contains("Duplicate it");
        assertThat(page(hx(post("/reports/" + id + "/blocks/" + table + "/delete"))))
                .contains("is frozen");
        assertThat(flash(member(post("/reports/" + id + "/title")).param("title", "renamed"), "error"))
                .contains("is frozen");
        assertThat(flash(
                        member(post("/reports/" + id + "/blocks/" + table + "/move"))
                                .param("dir", "down"),
                        "error"))
                .contains("is frozen");
        assertThat(flash(member(post("/reports/" + id + "/freeze")).param("confirm", "yes"), "error"))
                .contains("is frozen");
        assertThat(reports.blocks(id)).hasSize(blocks);
        assertThat(reports.require(id).title()).isEqualTo("Frozen figure");

        // a kept image altered on the store is not served
        String key = "reports/images/" + shas.get(0) + ".jpg";
        byte[] original = artifacts.readAllBytes(key);
        try {
            artifacts.put(key, new byte[] {1, 2, 3});
            mvc.perform(get("/reports/" + id + "/images/" + shas.get(0) + ".jpg")
                            .with(user("rp-sup").roles("SUPERVISOR")))
                    .andExpect(status().isNotFound());
        } finally {
            artifacts.put(key, original);
        }
        mvc.perform(get("/reports/" + id + "/images/" + shas.get(0) + ".jpg")
                        .with(user("rp-sup").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "image/jpeg"));

        // duplicate: a live draft with the same blocks, showing today's (changed) values
        String to = mvc.perform(member(post("/reports/" + id + "/duplicate")))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        long copy = Long.parseLong(to.replaceAll(".*/", ""));
        assertThat(reports.require(copy).frozen()).isFalse();
        assertThat(reports.require(copy).title()).isEqualTo("Copy of Frozen figure");
        assertThat(kinds(copy)).isEqualTo(kinds(id));
        assertThat(reports.blocks(copy)).allMatch(b -> b.snapshot() == null);
        assertThat(page(get("/reports/" + copy).with(user("rp-mem").roles("MEMBER", "SUPERVISOR"))))
                .contains("1116.56")
                .contains("id=\"live-badge\"");
    }

    @Test
    void aSupervisorSeesNoControlAndCannotChangeAnything() throws Exception {
        long id = create("Supervised", "Read only for supervisors.");
        flash(
                member(post("/reports/" + id + "/blocks"))
                        .param("kind", "table")
                        .param("evaluation", "" + evaluation),
                "message");
        String html = page(get("/reports/" + id).with(user("rp-sup").roles("SUPERVISOR")));
        assertThat(html)
                .contains("Read only for supervisors.")
                .contains("id=\"download-pdf\"")
                .doesNotContain("hx-post")
                .doesNotContain("id=\"add-blocks\"")
                .doesNotContain("id=\"freeze-form\"")
                .doesNotContain("id=\"duplicate\"")
                .doesNotContain("Edit this block")
                .doesNotContain("remove-block");
        assertThat(page(get("/reports").with(user("rp-sup").roles("SUPERVISOR"))))
                .doesNotContain("id=\"new-report\"");
        long count = reports.count();
        List<MockHttpServletRequestBuilder> posts = List.of(
                post("/reports").param("title", "x"),
                post("/reports/" + id + "/blocks").param("kind", "text").param("markdown", "x"),
                post("/reports/" + id + "/freeze").param("confirm", "yes"),
                post("/reports/" + id + "/duplicate"),
                post("/reports/" + id + "/title").param("title", "x"),
                post("/reports/" + id + "/blocks/" + reports.blocks(id).get(0).id() + "/delete"));
        for (MockHttpServletRequestBuilder p : posts) {
            mvc.perform(p.with(user("rp-sup").roles("SUPERVISOR")).with(csrf())).andExpect(status().isForbidden());
        }
        assertThat(reports.count()).isEqualTo(count);
        assertThat(reports.blocks(id)).hasSize(2);
        assertThat(reports.require(id).frozen()).isFalse();
        // an unknown report is a 404
        mvc.perform(get("/reports/987654").with(user("rp-sup").roles("SUPERVISOR")))
                .andExpect(status().isNotFound());
    }

    /**
     * Issue 18: the gallery block renders like the gallery page (each tile at its true aspect ratio, in a column of its
     * own, never squeezed: no fixed 128 × 128 box in a narrow cell), and a random gallery's column never says
     * "(ranked)" (the random gallery ranks nothing). The print document lets long names wrap at their separators and lets
     * blocks flow (no page break forced per block; a block that fits stays on one page).
     */
    @Test
    void theGalleryBlockRendersLikeTheGalleryPageAndThePrintDocumentFlows() throws Exception {
        long id = create("Gallery like the gallery page", "Two lines of text.");
        flash(
                member(post("/reports/" + id + "/blocks"))
                        .param("kind", "table")
                        .param("evaluation", "" + evaluation),
                "message");
        flash(
                member(post("/reports/" + id + "/blocks"))
                        .param("kind", "gallery")
                        .param("gallery", "random")
                        .param("source", "" + he)
                        .param("checkpoints", "" + remap)
                        .param("seed", "4")
                        .param("rows", "2"),
                "message");
        String html = page(get("/reports/" + id).with(user("rp-sup").roles("SUPERVISOR")));
        java.util.regex.Matcher gallery = java.util.regex.Pattern.compile(
                        "<table class=\"report-gallery\">(.*?)</table>", java.util.regex.Pattern.DOTALL)
                .matcher(html);
        assertThat(gallery.find()).as(html).isTrue();
        assertThat(gallery.group(1)).contains("report remap").doesNotContain("(ranked)");
        // the fixture's tiles are 64 × 64: drawn 128 wide, 128 high
        java.util.regex.Matcher img = java.util.regex.Pattern.compile(
                        "<img src=\"(/tiles/\\d+/thumb)\"[^>]*width=\"128\"[^>]*height=\"(\\d+)\"")
                .matcher(gallery.group(1));
        assertThat(img.find()).as(gallery.group(1)).isTrue();
        byte[] thumb = mvc.perform(get(img.group(1)).with(user("rp-sup").roles("SUPERVISOR")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsByteArray();
        java.awt.image.BufferedImage t = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(thumb));
        assertThat(Integer.parseInt(img.group(2))).isEqualTo(Math.round(128f * t.getHeight() / t.getWidth()));
        // the page's CSS draws the tiles at their width with the height following (no squeezing)
        String css = page(get("/css/reports.css").with(user("rp-sup").roles("SUPERVISOR")));
        assertThat(css)
                .contains("table.report-gallery img { display: block; width: 128px; max-width: none; height: auto;");
        // the live block's column title, as a frozen snapshot of an older report had it, loses "(ranked)"
        BlockData.GallerySnap old = new BlockData.GallerySnap(
                "random",
                "he",
                1L,
                "/galleries/random",
                List.of("H&E source", "report remap (ranked)"),
                List.of(),
                List.of());
        BlockView v = new BlockView(
                reports.blocks(id).get(2), 3, new BlockData(null, old, null, null), null, List.of(), List.of());
        assertThat(v.column("report remap (ranked)")).isEqualTo("report remap");

        String print = page(get("/reports/" + id + "/print").with(user("rp-sup").roles("SUPERVISOR")));
        assertThat(print)
                .contains("CUSTOM_<wbr>NPZ_<wbr>CK7_<wbr>lora_<wbr>20")
                .contains("break-inside: avoid")
                .doesNotContain("break-before: page")
                .doesNotContain("word-break: break-word")
                .contains("data:image/jpeg;base64,");
    }
}
