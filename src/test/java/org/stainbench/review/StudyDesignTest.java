package org.stainbench.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
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
import org.stainbench.support.MutableClock;

/**
 * Study design controls (issue 17 item 4) over real ingested archives: navigation rules enforced on the server,
 * per-rater subsets by the documented rule, the practice block (feedback, kept apart from results), disabling and
 * enabling raters after answers, time per item from the injected clock, and the roles that may not use the new
 * endpoints.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudyDesignTest {

    static final int TILES = 8;

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2026-05-04T09:00:00Z"));
        }
    }

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
    StudyDesigns designs;

    @Autowired
    Practice practice;

    @Autowired
    MutableClock clock;

    @Autowired
    MockMvc mvc;

    long he;
    long ck7;
    List<Long> cks;
    List<String> ckNames;

    @BeforeAll
    void data(@TempDir Path tmp) {
        he = GeneratedFixtures.dataset(
                catalog,
                "Design H&E",
                Stain.HE,
                tmp.resolve("he"),
                List.of("he_710_1.npz", "he_720_1.npz", "he_730_1.npz"),
                TILES,
                96,
                810);
        ck7 = GeneratedFixtures.dataset(
                catalog,
                "Design CK7",
                Stain.IHC,
                tmp.resolve("ck7"),
                List.of("ihc_810_1.npz", "ihc_820_1.npz"),
                TILES,
                96,
                910);
        Checkpoint r = checkpoints.createBaseline(CheckpointKind.REINHARD, "D-reinhard", ck7, null, null, null, "test");
        Checkpoint s = checkpoints.createBaseline(CheckpointKind.STAIN_REMAP, "D-remap", null, 1.0, 1.1, null, "test");
        checkpoints.applyBaseline(r.id(), he, "test");
        checkpoints.applyBaseline(s.id(), he, "test");
        cks = List.of(r.id(), s.id());
        ckNames = List.of("D-reinhard", "D-remap");
        for (long id : cks) {
            GeneratedFixtures.awaitGenerated(checkpoints, catalog, id);
        }
        for (String u : List.of("sd-ana", "sd-ben", "sd-cai", "sd-dan", "sd-eve")) {
            accounts.createAccount(u, Role.PATHOLOGIST, "Tulip-Quarry-4471");
        }
        accounts.createAccount("sd-mem", Role.MEMBER, "Heron-Basalt-5582");
    }

    Reviews.NewSession twoAfc(String name, int perCheckpoint, List<String> raters) {
        return new Reviews.NewSession(
                name,
                ReviewMode.TWO_AFC,
                "Which is real?",
                null,
                false,
                ReviewSession.RANDOM,
                he,
                cks,
                perCheckpoint,
                ck7,
                0,
                0,
                7L,
                raters);
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

    static ReviewItem item(long id, String kind, Long ck) {
        return new ReviewItem(id, 1, 0, "t" + id, kind, ck, 1L, 0, null, null, null, null, null, "a" + id, null, null);
    }

    // per-rater subsets

    @Test
    void theAssignmentRuleGivesEachRaterKItemsWithACommonCoreBalancedAcrossCheckpoints() {
        List<ReviewItem> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            items.add(item(
                    100 + i,
                    i < 20 ? ReviewItem.GENERATED : ReviewItem.REAL,
                    i < 10 ? Long.valueOf(1) : i < 20 ? Long.valueOf(2) : null));
        }
        int k = 12;
        int m = 6;
        List<ReviewItem> order = RaterAssignment.order(items, 42L);
        assertThat(order).hasSize(30).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(items);
        assertThat(RaterAssignment.order(items, 42L)).as("seeded").isEqualTo(order);
        // interleaved: the core has two of each group
        Map<String, Integer> core = new HashMap<>();
        for (ReviewItem i : order.subList(0, m)) {
            core.merge(i.real() ? "real" : "" + i.checkpointId(), 1, Integer::sum);
        }
        assertThat(core).containsOnly(Map.entry("1", 2), Map.entry("2", 2), Map.entry("real", 2));
        Set<Long> coreIds =
                new HashSet<>(order.subList(0, m).stream().map(ReviewItem::id).toList());
        int raters = 7;
        Map<Long, Integer> seen = new HashMap<>();
        List<Set<Long>> subsets = new ArrayList<>();
        for (int r = 0; r < raters; r++) {
            List<Long> sub = RaterAssignment.subset(items, k, m, r, 42L);
            assertThat(sub).hasSize(k).doesNotHaveDuplicates();
            assertThat(sub).containsAll(coreIds);
            // the documented ring: chunk r starts at r(k-m) mod (N-m)
            for (int j = 0; j < k - m; j++) {
                assertThat(sub.get(m + j))
                        .isEqualTo(order.get(m + (r * (k - m) + j) % (30 - m)).id());
            }
            sub.stream().filter(id -> !coreIds.contains(id)).forEach(id -> seen.merge(id, 1, Integer::sum));
            subsets.add(new HashSet<>(sub));
        }
        // 7 raters x 6 = 42 ring places over 24 ring items: each seen once or twice
        assertThat(seen).hasSize(24);
        assertThat(seen.values()).allMatch(c -> c == 1 || c == 2);
        // the first four raters' chunks are disjoint (4 x 6 = 24)
        for (int a = 0; a < 4; a++) {
            for (int b = a + 1; b < 4; b++) {
                Set<Long> both = new HashSet<>(subsets.get(a));
                both.retainAll(subsets.get(b));
                assertThat(both).isEqualTo(coreIds);
            }
        }
        // k = N: everyone gets everything
        assertThat(RaterAssignment.subset(items, 30, 0, 5, 42L)).hasSize(30);
    }

    @Test
    void aSessionWithSubsetsGivesEachRaterTheirItemsAndARaterAddedAfterAnswersTheNextSlot() throws Exception {
        ReviewSession s = reviews.create(
                twoAfc("subsets", 4, List.of("sd-ana", "sd-ben", "sd-cai")),
                StudyDesign.of(StudyDesign.Navigation.FREE, 5, 2, 0),
                "sd-mem");
        List<ReviewItem> items = store.items(s.id());
        assertThat(items).hasSize(8);
        Map<String, Set<Long>> got = new HashMap<>();
        for (String r : List.of("sd-ana", "sd-ben", "sd-cai")) {
            List<RaterSequence.Step> steps = reviews.steps(s, r);
            assertThat(steps).as("no repeats in this session").hasSize(5);
            Set<Long> ids =
                    new HashSet<>(steps.stream().map(RaterSequence.Step::itemId).toList());
            assertThat(ids)
                    .isEqualTo(new HashSet<>(RaterAssignment.subset(items, 5, 2, designs.slot(s.id(), r), s.seed())));
            got.put(r, ids);
        }
        assertThat(designs.slot(s.id(), "sd-ana")).isZero();
        assertThat(designs.slot(s.id(), "sd-cai")).isEqualTo(2);
        Set<Long> common = new HashSet<>(got.get("sd-ana"));
        common.retainAll(got.get("sd-ben"));
        common.retainAll(got.get("sd-cai"));
        assertThat(common).hasSizeGreaterThanOrEqualTo(2);
        // answers, then a new rater: the next slot, nobody else's subset changes
        reviews.answer(s, "sd-ana", 0, "LEFT", null, List.of(), null, null);
        mvc.perform(as(post("/review/sessions/" + s.id() + "/raters"), "sd-mem", "MEMBER")
                        .with(csrf())
                        .param("username", "sd-dan"))
                .andExpect(status().is3xxRedirection());
        assertThat(designs.slot(s.id(), "sd-dan")).isEqualTo(3);
        assertThat(new HashSet<>(reviews.steps(s, "sd-ana").stream()
                        .map(RaterSequence.Step::itemId)
                        .toList()))
                .isEqualTo(got.get("sd-ana"));
        assertThat(reviews.steps(s, "sd-dan")).hasSize(5);
        // the session page states the design and each rater's progress against their own total
        String html = page(as(get("/review/sessions/" + s.id()), "sd-mem", "MEMBER"));
        assertThat(html)
                .contains("5 of 8, 2 of them common to every rater")
                .contains("1 / 5")
                .contains("sd-dan");
    }

    // navigation

    @Test
    void lookBackLetsRatersSeeEarlierItemsButRefusesAChangedAnswer() throws Exception {
        ReviewSession s = reviews.create(
                twoAfc("look back", 2, List.of("sd-ana")),
                StudyDesign.of(StudyDesign.Navigation.LOOK_BACK, null, null, 0),
                "sd-mem");
        String base = "/review/sessions/" + s.id();
        mvc.perform(as(post(base + "/rate/1"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "LEFT"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", base + "/rate/2"));
        String back = page(as(get(base + "/rate/1"), "sd-ana", "PATHOLOGIST"));
        assertThat(back).contains("data-step=\"1\"").contains("id=\"final\"").contains("id=\"next\"");
        // htmx: the refusal goes into the error slot, the stored answer stays
        String err = mvc.perform(as(post(base + "/rate/1"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("choice", "RIGHT"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Retarget", "#rater-error"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(err).contains("does not allow changing an answer");
        // full page: a redirect with the message
        String flash = mvc.perform(as(post(base + "/rate/1"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "RIGHT"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getFlashMap()
                .get("error")
                .toString();
        assertThat(flash).contains("does not allow changing an answer");
        assertThat(store.answers(s.id(), "sd-ana"))
                .singleElement()
                .extracting(ReviewAnswer::choice)
                .isEqualTo("LEFT");
    }

    @Test
    void forwardOnlyRefusesGoingBackAndSkippingAheadOnTheServer() throws Exception {
        ReviewSession s = reviews.create(
                twoAfc("forward only", 2, List.of("sd-ana")),
                StudyDesign.of(StudyDesign.Navigation.FORWARD, null, null, 0),
                "sd-mem");
        String base = "/review/sessions/" + s.id();
        String first = page(as(get(base + "/rate"), "sd-ana", "PATHOLOGIST"));
        assertThat(first)
                .contains("data-step=\"1\"")
                .doesNotContain("id=\"prev\"")
                .doesNotContain("id=\"next\"");
        // skipping ahead is refused too (it would be a way back)
        String skip = mvc.perform(as(get(base + "/rate/3"), "sd-ana", "PATHOLOGIST"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getFlashMap()
                .get("error")
                .toString();
        assertThat(skip).contains("strictly in order: answer item 1 first");
        mvc.perform(as(post(base + "/rate/2"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "LEFT"))
                .andExpect(status().is3xxRedirection());
        assertThat(store.answerCount(s.id())).isZero();
        mvc.perform(as(post(base + "/rate/1"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "LEFT"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", base + "/rate/2"));
        // going back: full page redirects to the current item with the reason; htmx shows the current item with it
        String flash = mvc.perform(as(get(base + "/rate/1"), "sd-ana", "PATHOLOGIST"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", base + "/rate"))
                .andReturn()
                .getFlashMap()
                .get("error")
                .toString();
        assertThat(flash).contains("does not let raters go back");
        String hx = page(as(get(base + "/rate/1"), "sd-ana", "PATHOLOGIST").header("HX-Request", "true"));
        assertThat(hx).contains("data-step=\"2\"").contains("does not let raters go back");
        String err = mvc.perform(as(post(base + "/rate/1"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("choice", "RIGHT"))
                .andExpect(header().string("HX-Retarget", "#rater-error"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(err).contains("does not allow changing an answer");
        assertThat(store.answers(s.id(), "sd-ana"))
                .singleElement()
                .extracting(ReviewAnswer::choice)
                .isEqualTo("LEFT");
        // the free default still lets a rater revise (the existing behaviour)
        ReviewSession free = reviews.create(twoAfc("free nav", 2, List.of("sd-ana")), "sd-mem");
        reviews.answer(free, "sd-ana", 0, "LEFT", null, List.of(), null, null);
        reviews.answer(free, "sd-ana", 0, "RIGHT", null, List.of(), null, null);
        assertThat(store.answers(free.id(), "sd-ana"))
                .singleElement()
                .extracting(ReviewAnswer::choice)
                .isEqualTo("RIGHT");
        assertThat(designs.design(free.id())).isEqualTo(StudyDesign.DEFAULT);
    }

    // practice

    @Test
    void thePracticeBlockComesFirstGivesFeedbackFromProvenanceAndIsNeverCounted() throws Exception {
        ReviewSession s = reviews.create(
                twoAfc("practice", 3, List.of("sd-ana", "sd-ben")),
                StudyDesign.of(StudyDesign.Navigation.FREE, null, null, 3),
                "sd-mem");
        String base = "/review/sessions/" + s.id();
        List<Practice.Item> items = practice.items(s.id());
        assertThat(items).hasSize(3).allMatch(i -> i.kind().equals(ReviewItem.PAIR) && i.realArchiveId() != null);
        // never a tile of the study
        Set<String> study = new HashSet<>();
        for (ReviewItem i : store.items(s.id())) {
            study.add(i.archiveId() + ":" + i.tileIndex());
            study.add(i.realArchiveId() + ":" + i.realIndex());
        }
        for (Practice.Item i : items) {
            assertThat(study)
                    .doesNotContain(i.archiveId() + ":" + i.tileIndex(), i.realArchiveId() + ":" + i.realIndex());
        }
        // the study waits for the practice
        mvc.perform(as(get(base + "/rate"), "sd-ana", "PATHOLOGIST"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", base + "/practice"));
        mvc.perform(as(get(base + "/rate/2"), "sd-ana", "PATHOLOGIST"))
                .andExpect(header().string("Location", base + "/practice"));
        String refused = mvc.perform(as(post(base + "/rate/1"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("choice", "LEFT"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(refused).contains("Finish the practice block first");
        assertThat(store.answerCount(s.id())).isZero();
        // practice: the item, then the feedback after the answer (htmx) naming the truth and the checkpoint
        String p1 = page(as(get(base + "/practice"), "sd-ana", "PATHOLOGIST"));
        assertThat(p1)
                .contains("Practice item <span id=\"step\">1</span>")
                .contains("/review/practice/images/")
                .doesNotContain("id=\"feedback\"")
                .doesNotContain("D-reinhard")
                .doesNotContain("D-remap");
        for (int k = 0; k < 3; k++) {
            Practice.Item it = items.get(k);
            String choice = k == 1 ? (it.realLeft() ? "RIGHT" : "LEFT") : (it.realLeft() ? "LEFT" : "RIGHT");
            String fb = page(as(post(base + "/practice/" + (k + 1)), "sd-ana", "PATHOLOGIST")
                    .with(csrf())
                    .header("HX-Request", "true")
                    .param("choice", choice));
            String ck = ckNames.get(cks.indexOf(it.checkpointId()));
            assertThat(fb)
                    .contains("id=\"feedback\"")
                    .contains(k == 1 ? ">Wrong<" : ">Right<")
                    .contains("The real tile was on the " + (it.realLeft() ? "left" : "right"))
                    .contains("generated by checkpoint &#39;" + ck + "&#39;")
                    .contains("id=\"practice-next\"");
        }
        // answered once: a second answer is refused
        String again = mvc.perform(as(post(base + "/practice/1"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .header("HX-Request", "true")
                        .param("choice", "LEFT"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(again).contains("answered already");
        assertThat(page(as(get(base + "/practice"), "sd-ana", "PATHOLOGIST"))).contains("id=\"start-study\"");
        // stored apart: no study answers, nothing in the CSV, the results count nothing
        assertThat(store.answerCount(s.id())).isZero();
        assertThat(practice.answered(s.id(), "sd-ana")).isEqualTo(3);
        assertThat(page(as(get(base + "/answers.csv"), "sd-mem", "MEMBER")).lines())
                .hasSize(1);
        // now the study, without feedback
        String rate = page(as(get(base + "/rate"), "sd-ana", "PATHOLOGIST"));
        assertThat(rate)
                .contains("data-step=\"1\"")
                .doesNotContain("id=\"feedback\"")
                .doesNotContain("D-reinhard");
        mvc.perform(as(post(base + "/rate/1"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "LEFT"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", base + "/rate/2"));
        assertThat(store.answerCount(s.id())).isEqualTo(1);
        assertThat(page(as(get(base + "/answers.csv"), "sd-mem", "MEMBER")).lines())
                .hasSize(2);
        // the session page shows practice progress
        assertThat(page(as(get(base), "sd-mem", "MEMBER"))).contains("3 / 3").contains("0 / 3");
        // practice images: the session's raters and supervisors; not other pathologists
        String img = items.get(0).imageA();
        mvc.perform(as(get("/review/practice/images/" + img), "sd-ana", "PATHOLOGIST"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "image/png"))
                .andExpect(header().string("Cache-Control", org.hamcrest.Matchers.containsString("no-store")));
        mvc.perform(as(get("/review/practice/images/" + img), "sd-cai", "PATHOLOGIST"))
                .andExpect(status().isNotFound());
        mvc.perform(as(get("/review/practice/images/" + img), "sd-sup", "SUPERVISOR"))
                .andExpect(status().isOk());
        // the practice pages: the session's raters only
        mvc.perform(as(get(base + "/practice"), "sd-cai", "PATHOLOGIST")).andExpect(status().isNotFound());
        mvc.perform(as(post(base + "/practice/1"), "sd-cai", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "LEFT"))
                .andExpect(status().isNotFound());
        mvc.perform(as(get(base + "/practice"), "sd-mem", "MEMBER")).andExpect(status().isForbidden());
        mvc.perform(as(get(base + "/practice/9"), "sd-ben", "PATHOLOGIST")).andExpect(status().isNotFound());
    }

    // raters

    @Test
    void ratersAreDisabledAndEnabledAfterAnswersWithTheirAnswersKept() throws Exception {
        ReviewSession s = reviews.create(twoAfc("switch off", 2, List.of("sd-ana", "sd-ben")), "sd-mem");
        String base = "/review/sessions/" + s.id();
        reviews.answer(s, "sd-ana", 0, "LEFT", null, List.of(), null, null);
        reviews.answer(s, "sd-ana", 1, "RIGHT", null, List.of(), null, null);
        // roles that may not
        mvc.perform(as(post(base + "/raters/sd-ana/disable"), "sd-ben", "PATHOLOGIST")
                        .with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(as(post(base + "/raters/sd-ana/disable"), "sd-sup", "SUPERVISOR")
                        .with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(as(post(base + "/raters/sd-ana/disable"), "sd-mem", "MEMBER"))
                .andExpect(status().isForbidden()); // no CSRF
        assertThat(designs.disabledAt(s.id(), "sd-ana")).isEmpty();
        // a member disables her after answers: answers kept, the rating pages refused with the reason
        mvc.perform(as(post(base + "/raters/sd-ana/disable"), "sd-mem", "MEMBER")
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertThat(designs.disabledAt(s.id(), "sd-ana")).contains(clock.instant());
        assertThat(store.answerCount(s.id(), "sd-ana")).isEqualTo(2);
        String refused = mvc.perform(as(get(base + "/rate"), "sd-ana", "PATHOLOGIST"))
                .andExpect(status().isForbidden())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(refused).contains("disabled you as a rater").contains("answers are kept");
        mvc.perform(as(post(base + "/rate/3"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "LEFT"))
                .andExpect(status().isForbidden());
        assertThat(page(as(get("/review"), "sd-ana", "PATHOLOGIST"))).doesNotContain("switch off");
        assertThat(store.sessionsOf("sd-ana")).noneMatch(x -> x.id() == s.id());
        // nor do the image tokens she already holds open for her (a supervisor still sees them)
        String held = store.items(s.id()).get(0).imageA();
        mvc.perform(as(get("/review/images/" + held), "sd-ana", "PATHOLOGIST")).andExpect(status().isNotFound());
        mvc.perform(as(get("/review/images/" + held), "sd-sup", "SUPERVISOR")).andExpect(status().isOk());
        // her answers still count in the results and the CSV
        assertThat(page(as(get(base + "/answers.csv"), "sd-mem", "MEMBER"))
                        .lines()
                        .filter(l -> l.contains(",sd-ana,")))
                .hasSize(2);
        assertThat(page(as(get(base), "sd-mem", "MEMBER"))).contains("disabled").contains("/raters/sd-ana/enable");
        // twice: a clear message
        String twice = mvc.perform(as(post(base + "/raters/sd-ana/disable"), "sd-mem", "MEMBER")
                        .with(csrf()))
                .andReturn()
                .getFlashMap()
                .get("error")
                .toString();
        assertThat(twice).contains("already disabled");
        String nobody = mvc.perform(as(post(base + "/raters/sd-zed/disable"), "sd-mem", "MEMBER")
                        .with(csrf()))
                .andReturn()
                .getFlashMap()
                .get("error")
                .toString();
        assertThat(nobody).contains("does not rate this session");
        // enabled again: she goes on where she left off
        mvc.perform(as(post(base + "/raters/sd-ana/enable"), "sd-mem", "MEMBER").with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertThat(page(as(get(base + "/rate"), "sd-ana", "PATHOLOGIST"))).contains("data-step=\"3\"");
        // and raters are added after answers from the page's control
        assertThat(page(as(get(base), "sd-mem", "MEMBER"))).contains("id=\"add-rater\"");
        mvc.perform(as(post(base + "/raters"), "sd-mem", "MEMBER").with(csrf()).param("username", "sd-eve"))
                .andExpect(status().is3xxRedirection());
        assertThat(reviews.isRater(s.id(), "sd-eve")).isTrue();
    }

    // time per item

    @Test
    void timePerItemRunsFromTheShowingToTheFirstAnswerOnTheInjectedClock() throws Exception {
        ReviewSession s = reviews.create(twoAfc("timing", 2, List.of("sd-ben", "sd-cai")), "sd-mem");
        String base = "/review/sessions/" + s.id();
        page(as(get(base + "/rate"), "sd-ben", "PATHOLOGIST"));
        clock.advance(Duration.ofSeconds(7));
        mvc.perform(as(post(base + "/rate/1"), "sd-ben", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "LEFT"))
                .andExpect(status().is3xxRedirection());
        clock.advance(Duration.ofSeconds(60)); // a coffee break before the next item appears
        page(as(get(base + "/rate/2"), "sd-ben", "PATHOLOGIST"));
        clock.advance(Duration.ofSeconds(2));
        page(as(get(base + "/rate/2"), "sd-ben", "PATHOLOGIST").header("HX-Request", "true")); // shown again: restarts
        clock.advance(Duration.ofSeconds(4));
        mvc.perform(as(post(base + "/rate/2"), "sd-ben", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "RIGHT"))
                .andExpect(status().is3xxRedirection());
        // looking back and revising later does not move the first answer's time
        page(as(get(base + "/rate/1"), "sd-ben", "PATHOLOGIST"));
        clock.advance(Duration.ofSeconds(30));
        mvc.perform(as(post(base + "/rate/1"), "sd-ben", "PATHOLOGIST")
                        .with(csrf())
                        .param("choice", "RIGHT"))
                .andExpect(status().is3xxRedirection());
        List<StudyDesigns.Timing> t = designs.timings(s.id());
        assertThat(t).hasSize(2);
        assertThat(t.stream()
                        .map(x -> x.duration().orElseThrow().toSeconds())
                        .sorted()
                        .toList())
                .containsExactly(4L, 7L);
        String html = page(as(get(base), "sd-sup", "SUPERVISOR"));
        assertThat(html).contains("5.5 s · 5.5 s").contains("2 / 4");
        assertThat(RaterProgress.median(List.of(1.0, 9.0, 4.0))).isEqualTo(4.0);
    }

    // bad input

    @Test
    void badDesignValuesAreRefusedNamingTheFieldAndCreateNothing() throws Exception {
        long before = store.count();
        assertThatThrownBy(() -> reviews.create(
                        twoAfc("bad k", 2, List.of()), StudyDesign.of(StudyDesign.Navigation.FREE, 9, 2, 0), "sd-mem"))
                .hasMessageContaining("Items per rater must be between 1 and the session's 4 items");
        assertThatThrownBy(() -> reviews.create(
                        twoAfc("bad m", 2, List.of()), StudyDesign.of(StudyDesign.Navigation.FREE, 3, 1, 0), "sd-mem"))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> reviews.create(
                        twoAfc("bad p", 2, List.of()),
                        StudyDesign.of(StudyDesign.Navigation.FREE, null, null, 21),
                        "sd-mem"))
                .hasMessageContaining("Practice items must be between 0 and 20");
        String flash = mvc.perform(as(post("/review/sessions"), "sd-mem", "MEMBER")
                        .with(csrf())
                        .param("name", "form bad design")
                        .param("mode", "TWO_AFC")
                        .param("source", "" + he)
                        .param("ck", "" + cks.get(0))
                        .param("perCheckpoint", "2")
                        .param("realDataset", "" + ck7)
                        .param("navigation", "SIDEWAYS"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getFlashMap()
                .get("error")
                .toString();
        assertThat(flash).contains("Navigation is one of");
        flash = mvc.perform(as(post("/review/sessions"), "sd-mem", "MEMBER")
                        .with(csrf())
                        .param("name", "form bad overlap")
                        .param("mode", "TWO_AFC")
                        .param("source", "" + he)
                        .param("ck", "" + cks.get(0))
                        .param("perCheckpoint", "4")
                        .param("realDataset", "" + ck7)
                        .param("itemsPerRater", "3")
                        .param("overlap", "x"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getFlashMap()
                .get("error")
                .toString();
        assertThat(flash).contains("overlap");
        assertThat(store.count()).isEqualTo(before);
        // the form with a good design: stored and shown
        String to = mvc.perform(as(post("/review/sessions"), "sd-mem", "MEMBER")
                        .with(csrf())
                        .param("name", "form design")
                        .param("mode", "TWO_AFC")
                        .param("source", "" + he)
                        .param("ck", "" + cks.get(0), "" + cks.get(1))
                        .param("perCheckpoint", "3")
                        .param("realDataset", "" + ck7)
                        .param("navigation", "LOOK_BACK")
                        .param("itemsPerRater", "4")
                        .param("overlap", "2")
                        .param("practiceCount", "2")
                        .param("rater", "sd-ana"))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        long id = Long.parseLong(to.replaceAll(".*/", ""));
        assertThat(designs.design(id)).isEqualTo(new StudyDesign(true, false, 4, 2, 2));
        assertThat(page(as(get(to), "sd-mem", "MEMBER")))
                .contains("may go back to look, but an answer is final")
                .contains("4 of 6, 2 of them common")
                .contains("2 items with feedback");
        assertThat(page(as(get("/review/sessions/new"), "sd-mem", "MEMBER")))
                .contains("id=\"itemsPerRater\"")
                .contains("id=\"practiceCount\"");
        // a pathologist cannot create one
        mvc.perform(as(post("/review/sessions"), "sd-ana", "PATHOLOGIST")
                        .with(csrf())
                        .param("name", "p"))
                .andExpect(status().isForbidden());
    }
}
