package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.hamcrest.Matchers;
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
import org.stainbench.catalog.Archive;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.CatalogTiles;
import org.stainbench.catalog.Dataset;
import org.stainbench.catalog.Stain;
import org.stainbench.checkpoints.Checkpoint;
import org.stainbench.checkpoints.CheckpointKind;
import org.stainbench.checkpoints.Checkpoints;
import org.stainbench.checkpoints.GeneratedFixtures;
import org.stainbench.review.stats.Agreement;
import org.stainbench.review.stats.Bootstrap;
import org.stainbench.review.stats.Krippendorff;
import org.stainbench.review.stats.Proportions;
import org.stainbench.tiles.RgbTile;

/**
 * Review sessions over real ingested archives: an H&amp;E source with two CPU baselines applied and a real CK7
 * dataset. Creation rules, blinding (page source, image URLs, API), access rules, the lock after the first answer,
 * every htmx endpoint with and without HX-Request, and the results wiring.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewTest {

    static final int TILES = 8;
    static final int SIZE = 96;
    static final double EXACT = 1e-12;

    @Autowired
    Catalog catalog;

    @Autowired
    CatalogTiles tiles;

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
    List<String> secrets = new ArrayList<>();

    @BeforeAll
    void data(@TempDir Path tmp) {
        he = GeneratedFixtures.dataset(
                catalog,
                "Review H&E",
                Stain.HE,
                tmp.resolve("he"),
                List.of("he_510_1.npz", "he_520_1.npz", "he_530_1.npz"),
                TILES,
                SIZE,
                800);
        ck7 = GeneratedFixtures.dataset(
                catalog,
                "Review CK7",
                Stain.IHC,
                tmp.resolve("ck7"),
                List.of("ihc_610_1.npz", "ihc_620_1.npz"),
                TILES,
                SIZE,
                900);
        Checkpoint r =
                checkpoints.createBaseline(CheckpointKind.REINHARD, "R-secret-reinhard", ck7, null, null, null, "test");
        Checkpoint s =
                checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "R-secret-remap", null, 1.0, 1.1, null, "test");
        checkpoints.applyBaseline(r.id(), he, "test");
        checkpoints.applyBaseline(s.id(), he, "test");
        cks = List.of(r.id(), s.id());
        for (long id : cks) {
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, id);
        }
        for (String u : List.of("rv-ana", "rv-ben", "rv-cai", "rv-dan")) {
            accounts.createAccount(u, Role.PATHOLOGIST, "pathologist-pw");
        }
        accounts.createAccount("rv-mem", Role.MEMBER, "member-password");
        // everything a rater must never learn
        secrets.addAll(List.of(
                "R-secret-reinhard",
                "R-secret-remap",
                "Review H&amp;E",
                "Review CK7",
                "Review H&E",
                "he_510",
                "ihc_610",
                "ihc_620",
                "/tiles/",
                "/checkpoints/",
                "/datasets/",
                "GENERATED",
                "PAIR",
                "realLeft",
                "real_left",
                "archive"));
        for (Dataset d : catalog.datasets()) {
            if (d.name().contains("R-secret")) {
                secrets.add(d.name());
            }
        }
    }

    Reviews.NewSession twoAfc(String name, List<String> raters) {
        return new Reviews.NewSession(
                name,
                ReviewMode.TWO_AFC,
                "Which is real?",
                null,
                false,
                ReviewSession.RANDOM,
                he,
                cks,
                4,
                ck7,
                0,
                10,
                7L,
                raters);
    }

    static MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder b, String who, String role) {
        // members carry the supervisor role too (Role.MEMBER.authorities())
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

    static List<String> images(String html) {
        Matcher m = Pattern.compile("/review/images/([A-Za-z0-9_-]+)").matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void aTwoAfcSessionPairsEveryGeneratedTileWithARealOneAndEachRaterGetsAStoredShuffledOrderWithRepeats() {
        ReviewSession s = reviews.create(twoAfc("afc order", List.of("rv-ana", "rv-ben")), "rv-mem");
        List<ReviewItem> items = store.items(s.id());
        assertThat(items).hasSize(8).allMatch(i -> i.kind().equals(ReviewItem.PAIR) && i.realArchiveId() != null);
        assertThat(items.stream().filter(i -> i.checkpointId().equals(cks.get(0))))
                .hasSize(4);
        Set<Long> realArchives =
                new HashSet<>(catalog.archives(ck7).stream().map(Archive::id).toList());
        assertThat(items).allMatch(i -> realArchives.contains(i.realArchiveId()));
        assertThat(items.stream().map(ReviewItem::realLeft).distinct())
                .as("sides randomised")
                .hasSize(2);
        // the generated tile is row i of the archive generated from the source's row i
        for (ReviewItem i : items) {
            assertThat(i.sourceIndex()).isEqualTo(i.tileIndex());
        }
        List<RaterSequence.Step> a = reviews.steps(s, "rv-ana");
        List<RaterSequence.Step> b = reviews.steps(s, "rv-ben");
        assertThat(a).hasSize(9).isEqualTo(reviews.steps(s, "rv-ana"));
        assertThat(a).isNotEqualTo(b);
        assertThat(a.stream().filter(x -> x.repeatNo() == 1)).hasSize(1);
        assertThat(a.subList(0, 8).stream().map(RaterSequence.Step::itemId).distinct())
                .hasSize(8);
        // same seed, same items (a second session with the same settings draws the same tiles)
        ReviewSession again = reviews.create(twoAfc("afc order again", List.of()), "rv-mem");
        assertThat(store.items(again.id()).stream()
                        .map(i -> i.archiveId() + ":" + i.tileIndex())
                        .sorted()
                        .toList())
                .isEqualTo(items.stream()
                        .map(i -> i.archiveId() + ":" + i.tileIndex())
                        .sorted()
                        .toList());
    }

    @Test
    void badInputGetsAClearMessageAndChangesNothing() throws Exception {
        long before = store.count();
        assertThatThrownBy(() -> reviews.create(
                        new Reviews.NewSession(
                                "x",
                                ReviewMode.TWO_AFC,
                                "",
                                null,
                                true,
                                ReviewSession.RANDOM,
                                he,
                                cks,
                                2,
                                ck7,
                                0,
                                10,
                                1L,
                                List.of()),
                        "rv-mem"))
                .hasMessageContaining("would tell them which tile is generated");
        assertThatThrownBy(() -> reviews.create(
                        new Reviews.NewSession(
                                "x",
                                ReviewMode.LIKERT,
                                "",
                                "a\nb",
                                true,
                                ReviewSession.RANDOM,
                                he,
                                cks,
                                2,
                                ck7,
                                3,
                                10,
                                1L,
                                List.of()),
                        "rv-mem"))
                .hasMessageContaining("real tiles have no H&E source");
        assertThatThrownBy(() -> reviews.create(
                        new Reviews.NewSession(
                                "x",
                                ReviewMode.LIKERT,
                                "",
                                " \n ",
                                false,
                                ReviewSession.RANDOM,
                                he,
                                cks,
                                2,
                                null,
                                0,
                                10,
                                1L,
                                List.of()),
                        "rv-mem"))
                .hasMessageContaining("at least one criterion");
        assertThatThrownBy(() -> reviews.create(
                        new Reviews.NewSession(
                                "x",
                                ReviewMode.MARKER,
                                "",
                                null,
                                false,
                                ReviewSession.RANDOM,
                                he,
                                cks,
                                2,
                                null,
                                0,
                                10,
                                1L,
                                List.of("rv-mem")),
                        "rv-mem"))
                .hasMessageContaining("is not an enabled pathologist");
        assertThatThrownBy(() -> reviews.create(
                        new Reviews.NewSession(
                                "x",
                                ReviewMode.MARKER,
                                "",
                                null,
                                false,
                                ReviewSession.RANDOM,
                                he,
                                cks,
                                TILES * 3 + 1,
                                null,
                                0,
                                10,
                                1L,
                                List.of()),
                        "rv-mem"))
                .hasMessageContaining("ingested generated tiles");
        assertThatThrownBy(() -> reviews.create(
                        new Reviews.NewSession(
                                "x",
                                ReviewMode.TWO_AFC,
                                "",
                                null,
                                false,
                                ReviewSession.RANDOM,
                                he,
                                cks,
                                2,
                                he,
                                0,
                                10,
                                1L,
                                List.of()),
                        "rv-mem"))
                .hasMessageContaining("IHC dataset");
        // the form: a redirect back with the message, nothing created
        String flash = mvc.perform(as(post("/review/sessions"), "rv-mem", "MEMBER")
                        .with(csrf())
                        .param("name", "form bad")
                        .param("mode", "TWO_AFC")
                        .param("source", "" + he)
                        .param("perCheckpoint", "2"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getFlashMap()
                .get("error")
                .toString();
        assertThat(flash).contains("Choose at least one checkpoint");
        assertThat(store.count()).isEqualTo(before);
        // a supervisor cannot create
        mvc.perform(as(post("/review/sessions"), "rv-sup", "SUPERVISOR")
                        .with(csrf())
                        .param("name", "sup"))
                .andExpect(status().isForbidden());
    }

    @Test
    void theFormCreatesASessionFromAGalleryAndThePagesShowIt() throws Exception {
        String form = page(as(get("/review/sessions/new"), "rv-mem", "MEMBER"));
        assertThat(form).contains("R-secret-reinhard").contains("rv-ana").contains(ReviewMode.CK7_CRITERIA.get(0));
        String to = mvc.perform(as(post("/review/sessions"), "rv-mem", "MEMBER")
                        .with(csrf())
                        .param("name", "gallery likert")
                        .param("mode", "LIKERT")
                        .param("selection", "GALLERY")
                        .param("source", "" + he)
                        .param("ck", "" + cks.get(0), "" + cks.get(1))
                        .param("perCheckpoint", "2")
                        .param("realCount", "0")
                        .param("repeatPercent", "10")
                        .param("seed", "5")
                        .param("showSource", "on")
                        .param("rater", "rv-cai")
                        .param("instructions", "Score it.")
                        .param("criteria", "Pattern\nBackground"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        long id = Long.parseLong(to.replaceAll(".*/", ""));
        ReviewSession s = store.find(id).orElseThrow();
        assertThat(s.criteriaList()).containsExactly("Pattern", "Background");
        List<ReviewItem> items = store.items(id);
        assertThat(items).hasSize(4).allMatch(i -> i.imageSource() != null);
        // gallery rows: the same index in both checkpoints, source passing the tissue rule
        for (ReviewItem i : items) {
            assertThat(items.stream()
                            .filter(j -> j.sourceArchiveId().equals(i.sourceArchiveId())
                                    && j.sourceIndex().equals(i.sourceIndex())))
                    .hasSize(2);
            assertThat(tiles.at(i.sourceArchiveId(), i.sourceIndex())
                            .orElseThrow()
                            .tissueFraction())
                    .isGreaterThanOrEqualTo(0.6);
        }
        String session = page(as(get(to), "rv-sup", "SUPERVISOR"));
        assertThat(session).contains("gallery likert").contains("rv-cai").contains("R-secret-reinhard: 2");
        assertThat(page(as(get("/review"), "rv-sup", "SUPERVISOR"))).contains("gallery likert");
        // the rater sees the H&E source beside the tile
        String rate = page(as(get("/review/sessions/" + id + "/rate"), "rv-cai", "PATHOLOGIST"));
        assertThat(images(rate)).hasSize(2);
        assertThat(rate).contains("Pattern").contains("Background").contains("image-source");
    }

    @Test
    void raterPagesRevealNoOriginInPageSourceImageUrlsOrApi() throws Exception {
        ReviewSession s = reviews.create(
                new Reviews.NewSession(
                        "blind rov",
                        ReviewMode.REAL_OR_VIRTUAL,
                        "Real?",
                        null,
                        false,
                        ReviewSession.RANDOM,
                        he,
                        cks,
                        3,
                        ck7,
                        4,
                        10,
                        11L,
                        List.of("rv-ana")),
                "rv-mem");
        List<ReviewItem> items = store.items(s.id());
        int total = reviews.steps(s, "rv-ana").size();
        Map<String, byte[]> seen = new HashMap<>();
        for (int step = 1; step <= total; step++) {
            for (boolean hx : new boolean[] {false, true}) {
                MockHttpServletRequestBuilder b =
                        as(get("/review/sessions/" + s.id() + "/rate/" + step), "rv-ana", "PATHOLOGIST");
                String html = page(hx ? b.header("HX-Request", "true") : b);
                for (String secret : secrets) {
                    assertThat(html)
                            .as("step %d (htmx %s) leaks %s", step, hx, secret)
                            .doesNotContain(secret);
                }
                // every address on the page is a review address of this session, an opaque image or the shell's own
                Matcher urls = Pattern.compile("(?:href|src|action|hx-get|hx-post|hx-push-url)=\"([^\"]*)\"")
                        .matcher(html);
                while (urls.find()) {
                    assertThat(urls.group(1))
                            .as("step %d", step)
                            .matches("/review/sessions/" + s.id() + "/rate(/\\d+)?"
                                    + "|/review/images/[A-Za-z0-9_-]{32}|/review|/account|/|/logout|/img/favicon\\.svg"
                                    + "|/css/[a-z]+\\.css|/js/[a-z]+\\.js|/webjars/[a-z.0-9/_-]+\\.(js|css)");
                }
                List<String> imgs = images(html);
                assertThat(imgs).hasSize(1);
                String token = imgs.get(0);
                assertThat(token).hasSize(32);
                if (!hx) {
                    byte[] png = mvc.perform(as(get("/review/images/" + token), "rv-ana", "PATHOLOGIST"))
                            .andExpect(status().isOk())
                            .andExpect(header().string("Content-Type", "image/png"))
                            .andExpect(header().string("Cache-Control", Matchers.containsString("no-store")))
                            .andReturn()
                            .getResponse()
                            .getContentAsByteArray();
                    seen.put(token, png);
                }
            }
        }
        // the images are the tiles (real and generated through the same encoder, no metadata naming them)
        for (ReviewItem i : items) {
            byte[] png = seen.get(i.imageA());
            assertThat(png).as("every item shown once at least").isNotNull();
            assertThat(new String(png, 12, 4, StandardCharsets.ISO_8859_1)).isEqualTo("IHDR");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            RgbTile t = tiles.read(i.archiveId(), i.tileIndex());
            assertThat(img.getWidth()).isEqualTo(t.width());
            assertThat(meanAbsDiff(img, t)).as("lossless").isZero();
            String text = new String(png, StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain("tEXt").doesNotContain("iTXt").doesNotContain("zTXt");
            for (String secret : List.of("R-secret", "ihc_", "Reinhard", "remap", "Stainbench")) {
                assertThat(text).doesNotContain(secret);
            }
        }
        // other people's tokens, other sessions, the team's pages and the API are closed to the pathologist
        ReviewSession other = reviews.create(twoAfc("not for ana", List.of("rv-ben")), "rv-mem");
        String otherImage = store.items(other.id()).get(0).imageA();
        mvc.perform(as(get("/review/images/" + otherImage), "rv-ana", "PATHOLOGIST"))
                .andExpect(status().isNotFound());
        mvc.perform(as(get("/review/images/" + otherImage), "rv-ben", "PATHOLOGIST"))
                .andExpect(status().isOk());
        mvc.perform(as(get("/review/images/nonsense"), "rv-ana", "PATHOLOGIST")).andExpect(status().isNotFound());
        String notFound = mvc.perform(as(get("/review/sessions/" + other.id() + "/rate"), "rv-ana", "PATHOLOGIST"))
                .andExpect(status().isNotFound())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(notFound).doesNotContain("not for ana");
        mvc.perform(as(get("/review/sessions/" + other.id() + "/rate/1"), "rv-ana", "PATHOLOGIST"))
                .andExpect(status().isNotFound());
        mvc.perform(as(post("/review/sessions/" + other.id() + "/rate/1"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "LEFT"))
                .andExpect(status().isNotFound());
        for (String url : List.of(
                "/review/sessions/" + s.id(),
                "/review/sessions/" + s.id() + "/results",
                "/review/sessions/" + s.id() + "/answers.csv",
                "/review/sessions/new",
                "/checkpoints",
                "/checkpoints/" + cks.get(0),
                "/datasets",
                "/datasets/" + he,
                "/galleries/random?source=" + he,
                "/tiles/1",
                "/activity")) {
            mvc.perform(as(get(url), "rv-ana", "PATHOLOGIST")).andExpect(status().isForbidden());
        }
        mvc.perform(as(post("/review/sessions/" + s.id() + "/raters"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("username", "rv-ana"))
                .andExpect(status().isForbidden());
        // the landing page lists only her sessions
        String landing = page(as(get("/review"), "rv-ana", "PATHOLOGIST"));
        assertThat(landing).contains("blind rov").doesNotContain("not for ana").doesNotContain("New review session");
        // API: a pathologist cannot even hold a token
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> accounts.issueApiToken("path script", "rv-ana"))
                .hasMessageContaining("pathologists cannot hold machine tokens");
        // a member is not a rater: the rating screen is for raters only
        mvc.perform(as(get("/review/sessions/" + s.id() + "/rate"), "rv-mem", "MEMBER"))
                .andExpect(status().isForbidden());
    }

    static double meanAbsDiff(BufferedImage img, RgbTile t) {
        double sum = 0;
        for (int y = 0; y < t.height(); y++) {
            for (int x = 0; x < t.width(); x++) {
                int p = img.getRGB(x, y);
                sum += Math.abs((p >> 16 & 0xff) - t.get(x, y, 0))
                        + Math.abs((p >> 8 & 0xff) - t.get(x, y, 1))
                        + Math.abs((p & 0xff) - t.get(x, y, 2));
            }
        }
        return sum / (3.0 * t.width() * t.height());
    }

    @Test
    void answersAreSavedAtOnceWithAndWithoutHtmxAndTheSessionLocksAfterTheFirstExceptForNewRaters() throws Exception {
        ReviewSession s = reviews.create(
                new Reviews.NewSession(
                        "lock marker",
                        ReviewMode.MARKER,
                        "Score.",
                        null,
                        false,
                        ReviewSession.RANDOM,
                        he,
                        cks,
                        2,
                        ck7,
                        2,
                        10,
                        3L,
                        List.of("rv-ana", "rv-ben")),
                "rv-mem");
        String base = "/review/sessions/" + s.id();
        // editing before answers works
        mvc.perform(as(post(base + "/edit"), "rv-mem", "MEMBER")
                        .with(csrf())
                        .param("name", "lock marker 2")
                        .param("instructions", "Score carefully."))
                .andExpect(status().is3xxRedirection());
        assertThat(store.find(s.id()).orElseThrow().name()).isEqualTo("lock marker 2");
        // bad answer: a clear message, nothing saved (htmx: the message retargeted to the error slot; full page: flash)
        String err = mvc.perform(as(post(base + "/rate/1"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("choice", "WEAK")
                        .param("fraction", "140"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Retarget", "#rater-error"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(err).contains("0 to 100");
        mvc.perform(as(post(base + "/rate/1"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "HUGE")
                        .param("fraction", "5"))
                .andExpect(status().is3xxRedirection());
        assertThat(store.answerCount(s.id())).isZero();
        // full page: redirect to the next step
        mvc.perform(as(post(base + "/rate/1"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "MODERATE")
                        .param("fraction", "40"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", base + "/rate/2"));
        // htmx: the next item's fragment and the URL pushed
        String frag = mvc.perform(as(post(base + "/rate/2"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("choice", "STRONG")
                        .param("fraction", "80")
                        .param("note", "crisp"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Push-Url", base + "/rate/3"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(frag).contains("id=\"rater\"").doesNotContain("<html").contains("data-step=\"3\"");
        assertThat(store.answerCount(s.id(), "rv-ana")).isEqualTo(2);
        // resume: the first unanswered step, full page and fragment
        String resume = page(as(get(base + "/rate"), "rv-ana", "PATHOLOGIST"));
        assertThat(resume).contains("<html").contains("data-step=\"3\"");
        assertThat(page(as(get(base + "/rate"), "rv-ana", "PATHOLOGIST").header("HX-Request", "true")))
                .doesNotContain("<html")
                .contains("data-step=\"3\"");
        // revising an answer keeps one row
        mvc.perform(as(post(base + "/rate/1"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "WEAK")
                        .param("fraction", "10"))
                .andExpect(status().is3xxRedirection());
        assertThat(store.answerCount(s.id(), "rv-ana")).isEqualTo(2);
        // locked: no edit, no removal, no deletion; adding a rater still works
        mvc.perform(as(post(base + "/edit"), "rv-mem", "MEMBER").with(csrf()).param("name", "changed"))
                .andExpect(status().is3xxRedirection());
        mvc.perform(as(post(base + "/raters/rv-ben/remove"), "rv-mem", "MEMBER").with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(as(post(base + "/delete"), "rv-mem", "MEMBER").with(csrf())).andExpect(status().is3xxRedirection());
        assertThat(store.find(s.id()).orElseThrow().name()).isEqualTo("lock marker 2");
        assertThat(store.raters(s.id())).hasSize(2);
        mvc.perform(as(post(base + "/raters"), "rv-mem", "MEMBER").with(csrf()).param("username", "rv-dan"))
                .andExpect(status().is3xxRedirection());
        assertThat(store.raters(s.id()))
                .extracting(ReviewStore.Rater::username)
                .containsExactly("rv-ana", "rv-ben", "rv-dan");
        assertThatThrownBy(() -> reviews.edit(s.id(), "x", "", null, "rv-mem"))
                .hasMessageContaining("can no longer be changed");
        // the session page says so
        assertThat(page(as(get(base), "rv-mem", "MEMBER")))
                .contains("id=\"locked\"")
                .doesNotContain("id=\"edit-form\"");
    }

    @Test
    void theRatingFormIsOneRecordLikertScoresBindByIndexAndHtmxTwinsAnswerWithTheFragment() throws Exception {
        ReviewSession s = reviews.create(
                new Reviews.NewSession(
                        "likert record",
                        ReviewMode.LIKERT,
                        "Score.",
                        "Pattern\nNoise",
                        false,
                        ReviewSession.RANDOM,
                        he,
                        cks,
                        2,
                        ck7,
                        2,
                        0,
                        5L,
                        List.of("rv-ana")),
                "rv-mem");
        String base = "/review/sessions/" + s.id();
        // a gap (criterion 1 unanswered) stays a gap: the clear message, nothing saved, whichever twin answers
        String err = mvc.perform(as(post(base + "/rate/1"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("scores[1]", "3"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Retarget", "#rater-error"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(err).contains("Score each of the 2 criteria");
        mvc.perform(as(post(base + "/rate/1"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("scores[0]", "4")
                        .param("confidence", "x"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", "'x' is not a whole number."));
        assertThat(store.answerCount(s.id())).isZero();
        // full page twin: a redirect; htmx twin: the next item's fragment
        mvc.perform(as(post(base + "/rate/1"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("scores[0]", "4")
                        .param("scores[1]", "2"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", base + "/rate/2"));
        String frag = mvc.perform(as(post(base + "/rate/2"), "rv-ana", "PATHOLOGIST")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("scores[0]", "1")
                        .param("scores[1]", "5"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(frag).contains("id=\"rater\"").doesNotContain("<html");
        assertThat(store.answers(s.id(), "rv-ana"))
                .extracting(ReviewAnswer::scoreList)
                .containsExactlyInAnyOrder(List.of(4, 2), List.of(1, 5));
        // the rating screen's inputs carry the indexed names the record binds
        assertThat(page(as(get(base + "/rate"), "rv-ana", "PATHOLOGIST")))
                .contains("name=\"scores[0]\"")
                .contains("name=\"scores[1]\"")
                .doesNotContain("name=\"s0\"");
        assertThat(page(as(get(base + "/rate/1"), "rv-ana", "PATHOLOGIST").header("HX-Request", "true")))
                .doesNotContain("<html")
                .contains("data-step=\"1\"");
    }

    @Test
    void theNewSessionFormIsOneRecordAndARefusalEchoesWhatWasTyped() throws Exception {
        long before = store.count();
        mvc.perform(as(post("/review/sessions"), "rv-mem", "MEMBER")
                        .with(csrf())
                        .param("name", "echo me")
                        .param("mode", "TWO_AFC")
                        .param("source", "" + he)
                        .param("ck", "" + cks.get(0))
                        .param("seed", "12x")
                        .param("minTissue", "0.3")
                        .param("rater", "rv-ana"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", "/review/sessions/new"))
                .andExpect(flash().attribute("error", "The seed must be a whole number, not '12x'."))
                .andExpect(flash().attribute(
                                "f",
                                Matchers.allOf(
                                        Matchers.hasEntry("name", (Object) "echo me"),
                                        Matchers.hasEntry("seed", (Object) "12x"),
                                        Matchers.hasEntry("ck", (Object) List.of(cks.get(0))),
                                        Matchers.hasEntry("rater", (Object) List.of("rv-ana")))));
        mvc.perform(as(post("/review/sessions"), "rv-mem", "MEMBER")
                        .with(csrf())
                        .param("name", "echo me")
                        .param("mode", "TWO_AFC")
                        .param("source", "" + he)
                        .param("ck", "" + cks.get(0))
                        .param("minCenter", "1.5"))
                .andExpect(flash().attribute("error", Matchers.containsString("(minCenter)")));
        assertThat(store.count()).isEqualTo(before);
    }

    @Test
    void resultsMatchTheStatisticsOnTheSameAnswersAndTheCsvCarriesTheBlindingKey() throws Exception {
        ReviewSession s = reviews.create(
                new Reviews.NewSession(
                        "likert three",
                        ReviewMode.LIKERT,
                        "Score.",
                        "Pattern\nNoise",
                        false,
                        ReviewSession.RANDOM,
                        he,
                        cks,
                        3,
                        ck7,
                        2,
                        20,
                        9L,
                        List.of("rv-ana", "rv-ben", "rv-cai")),
                "rv-mem");
        List<ReviewItem> items = store.items(s.id());
        Map<Long, Integer> itemIndex = new HashMap<>();
        for (int k = 0; k < items.size(); k++) {
            itemIndex.put(items.get(k).id(), k);
        }
        List<String> raters = List.of("rv-ana", "rv-ben", "rv-cai");
        // deterministic scores; rv-cai leaves the last two of her first showings unanswered (missing values)
        Integer[][] pattern = new Integer[3][items.size()];
        for (int r = 0; r < 3; r++) {
            List<RaterSequence.Step> steps = reviews.steps(s, raters.get(r));
            for (int k = 0; k < steps.size(); k++) {
                RaterSequence.Step st = steps.get(k);
                int u = itemIndex.get(st.itemId());
                int v = 1 + (u * 3 + r * (u % 2) + st.repeatNo()) % 5;
                if (r == 2 && st.repeatNo() == 0 && (u == items.size() - 1 || u == items.size() - 2)) {
                    continue;
                }
                reviews.answer(s, raters.get(r), k, null, null, List.of(v, 6 - v), null, null);
                if (st.repeatNo() == 0) {
                    pattern[r][u] = v;
                }
            }
        }
        String html = page(as(get("/review/sessions/" + s.id() + "/results"), "rv-sup", "SUPERVISOR"));
        ReviewResults.Results res = ReviewResults.compute(s, items, raters, store.answers(s.id()), ck -> "ck" + ck);
        ReviewResults.AgreementRow pat = res.agreement().get(0);
        assertThat(pat.variable()).isEqualTo("Pattern");
        assertThat(pat.alphaOrdinal().value())
                .isCloseTo(Krippendorff.alpha(pattern, Krippendorff.Level.ORDINAL), within(EXACT));
        assertThat(pat.alphaNominal().value())
                .isCloseTo(Krippendorff.alpha(pattern, Krippendorff.Level.NOMINAL), within(EXACT));
        assertThat(pat.completeItems()).isEqualTo(items.size() - 2);
        int[][] counts = new int[items.size() - 2][5];
        for (int u = 0; u < items.size() - 2; u++) {
            for (int r = 0; r < 3; r++) {
                counts[u][pattern[r][u] - 1]++;
            }
        }
        assertThat(pat.fleiss().value()).isCloseTo(Agreement.fleissKappa(counts), within(EXACT));
        assertThat(pat.cohen().value()).as("three raters: no Cohen").isNull();
        assertThat(html)
                .contains(pat.alphaOrdinal().text())
                .contains(pat.fleiss().text())
                .contains("R-secret-remap");
        // per checkpoint means: first showings of that checkpoint's items
        long ck = cks.get(1);
        List<Double> xs = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            for (int u = 0; u < items.size(); u++) {
                if (pattern[r][u] != null
                        && Long.valueOf(ck).equals(items.get(u).checkpointId())) {
                    xs.add((double) pattern[r][u]);
                }
            }
        }
        ReviewResults.GroupRow g = res.groups().stream()
                .filter(x -> x.group().equals("ck" + ck) && x.variable().equals("Pattern"))
                .findFirst()
                .orElseThrow();
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(g.mean()).isCloseTo(mean, within(EXACT));
        Proportions.Interval ci = Bootstrap.meanInterval(
                xs.stream().mapToDouble(Double::doubleValue).toArray(), 2000, 0.95, s.seed());
        assertThat(g.low()).isCloseTo(ci.low(), within(EXACT));
        assertThat(res.groups().stream().map(ReviewResults.GroupRow::group)).contains("real IHC controls");
        // intra-rater: repeats were scored one higher (mod 5), so never the same
        assertThat(res.intra()).isNotEmpty().allMatch(i -> i.exact().value() == 0.0);
        // CSV: one line per answer, with the key (checkpoint, archive file, tile index)
        String csv = page(as(get("/review/sessions/" + s.id() + "/answers.csv"), "rv-sup", "SUPERVISOR"));
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(1 + store.answers(s.id()).size());
        assertThat(lines.get(0))
                .startsWith("session_id,session,mode,rater,step,repeat,item_token,item_kind,checkpoint_id")
                .contains("score_1,score_2");
        assertThat(csv).contains("R-secret-remap").contains("he_510_1.npz").contains(",REAL,");
        // results page links back to the checkpoints and tiles
        assertThat(html).contains("/checkpoints/" + ck).contains("/tiles/");
    }
}
