package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The runs table sorts, filters and pages in SQL by any param, tag, attribute or latest metric, shows chosen columns,
 * keeps all of it in the URL, and answers bad input with 400 naming the field.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunTableTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    TrackingStore store;

    final RequestPostProcessor supervisor = user("rt-sue").roles("SUPERVISOR");
    long exp;
    final Map<String, String> ids = new java.util.LinkedHashMap<>();

    @BeforeAll
    void runs() {
        exp = store.createExperiment("rt-table", null, Map.of());
        // name, lr, optimizer, loss history as (step, ts, value): the latest point is the largest step, then the
        // latest timestamp, not the smallest or the most recently written value
        log("rt-alpha", "1e-3", "adam", new double[][] {{0, 1, 0.9}, {5, 2, 0.30}, {3, 9, 0.05}});
        log("rt-beta", "1e-4", "adam", new double[][] {{0, 1, 0.8}, {5, 2, 0.70}, {5, 3, 0.20}});
        log("rt-gamma", "3e-4", "sgd", new double[][] {{0, 1, 0.6}, {9, 1, 0.45}});
        log("RT-delta", "1e-3", "sgd", null);
    }

    void log(String name, String lr, String opt, double[][] loss) {
        Tracking.RunInfo r = store.createRun(exp, "rt-ann", 1_700_000_000_000L + ids.size(), name, Map.of());
        store.logParam(r, "lr", lr);
        store.logParam(r, "optimizer", opt);
        for (double[] p : loss == null ? new double[0][] : loss) {
            store.logMetric(r, new Tracking.Metric("loss", p[2], (long) p[1], (long) p[0]));
        }
        store.logMetric(r, new Tracking.Metric("epoch_time", 10 + ids.size(), 1, 0));
        ids.put(name, r.uuid());
    }

    String page(String query, int status) throws Exception {
        return mvc.perform(get("/runs?experiment=" + exp + query).with(supervisor))
                .andExpect(status().is(status))
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    List<String> order(String html) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("data-run=\"(\\w+)\"").matcher(html);
        while (m.find()) {
            String id = m.group(1);
            ids.forEach((n, u) -> {
                if (u.equals(id)) {
                    names.add(n);
                }
            });
        }
        return names;
    }

    @Test
    void sortsByTheLatestValueOfAMetricWithRunsWithoutItLastEitherWay() throws Exception {
        // latest loss: alpha 0.30 (step 5), beta 0.20 (step 5, later ts), gamma 0.45; delta has none
        assertThat(order(page("&sort=metrics.loss&dir=asc", 200)))
                .containsExactly("rt-beta", "rt-alpha", "rt-gamma", "RT-delta");
        assertThat(order(page("&sort=metrics.loss&dir=desc", 200)))
                .containsExactly("rt-gamma", "rt-alpha", "rt-beta", "RT-delta");
        // by a param (text), by an attribute; the default is newest first
        // params sort as text ("1e-3" < "1e-4" < "3e-4"); ties newest first
        assertThat(order(page("&sort=params.lr&dir=asc", 200)))
                .containsExactly("RT-delta", "rt-alpha", "rt-beta", "rt-gamma");
        assertThat(order(page("&sort=run_name&dir=desc", 200)))
                .containsExactly("rt-gamma", "rt-beta", "rt-alpha", "RT-delta");
        assertThat(order(page("", 200))).containsExactly("RT-delta", "rt-gamma", "rt-beta", "rt-alpha");
        // the header marks the sort and links the other direction: the view is a permalink
        String html = page("&sort=metrics.loss&dir=asc&col=metrics.loss", 200);
        assertThat(html).contains("aria-sort=\"ascending\"").contains("sort=metrics.loss&amp;dir=desc");
    }

    @Test
    void filtersWithMlflowsSearchLanguageInSql() throws Exception {
        assertThat(order(page("&filter=metrics.loss < 0.35", 200))).containsExactlyInAnyOrder("rt-alpha", "rt-beta");
        assertThat(order(
                        page("&filter=metrics.loss < 0.35 and params.optimizer = 'adam' and params.lr != '1e-4'", 200)))
                .containsExactly("rt-alpha");
        assertThat(order(page("&filter=run_name LIKE 'rt-%'", 200)))
                .containsExactlyInAnyOrder("rt-alpha", "rt-beta", "rt-gamma");
        assertThat(order(page("&filter=run_name ILIKE 'rt-%'", 200))).hasSize(4);
        assertThat(order(page("&filter=params.lr LIKE '%-4'", 200))).containsExactlyInAnyOrder("rt-beta", "rt-gamma");
        // % and _ match literally when escaped; a filter that matches nothing says so
        String none = page("&filter=run_name LIKE 'rt\\_%'", 200);
        assertThat(order(none)).isEmpty();
        assertThat(none).contains("No run matches the filter.");
    }

    @Test
    void showsChosenParamsAndMetricsAsColumns() throws Exception {
        String html = page("&col=params.lr&col=metrics.loss&sort=metrics.loss&dir=asc", 200);
        Matcher row = Pattern.compile("data-run=\"" + ids.get("rt-beta") + "\".*?</tr>", Pattern.DOTALL)
                .matcher(html);
        assertThat(row.find()).isTrue();
        assertThat(row.group()).contains(">1e-4<").contains(">0.2000<");
        Matcher delta = Pattern.compile("data-run=\"" + ids.get("RT-delta") + "\".*?</tr>", Pattern.DOTALL)
                .matcher(html);
        assertThat(delta.find()).isTrue();
        assertThat(delta.group()).containsPattern("data-column=\"metrics.loss\"[^>]*>—<");
        // the chooser offers every param and metric of the experiment, with the chosen ones ticked
        assertThat(html)
                .contains("value=\"params.optimizer\"")
                .contains("value=\"metrics.epoch_time\"")
                .containsPattern("value=\"params.lr\"\\s+checked");
        // the pager keeps the view
        assertThat(html).doesNotContain("Latest metrics</th>");
    }

    @Test
    void pagesInSqlAndKeepsTheViewInThePagerLinks() throws Exception {
        long big = store.createExperiment("rt-paging", null, Map.of());
        for (int i = 0; i < RunTable.PAGE_SIZE + 3; i++) {
            Tracking.RunInfo r = store.createRun(big, "rt-ann", 1_700_000_000_000L + i, "rt-p" + i, Map.of());
            store.logMetric(r, new Tracking.Metric("score", i, 1, 0));
        }
        String first = mvc.perform(get("/runs?experiment=" + big + "&sort=metrics.score&dir=asc")
                        .with(supervisor))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(first)
                .contains("rt-p0<")
                .doesNotContain("rt-p50<")
                .contains("53</span> in all")
                .contains("sort=metrics.score&amp;dir=asc&amp;page=1");
        String second = mvc.perform(get("/runs?experiment=" + big + "&sort=metrics.score&dir=asc&page=1")
                        .with(supervisor))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(Pattern.compile("data-run=").matcher(second).results().count())
                .isEqualTo(3);
        assertThat(second).contains("rt-p50<", "rt-p51<", "rt-p52<");
    }

    @Test
    void badInputIsA400NamingTheFieldAndTheTableStaysUsable() throws Exception {
        String html = page("&filter=metrics.loss < 'low'", 400);
        assertThat(html)
                .contains("id=\"filter-error\"")
                .contains("must be compared with a number")
                .contains("aria-invalid=\"true\"");
        assertThat(order(html)).hasSize(4);
        // a LIKE pattern with a wildcard inside would make matching costly: refused
        assertThat(page("&filter=run_name LIKE '%a%b%'", 400)).contains("LIKE pattern is");
        assertThat(page("&filter=nonsense.key = 'x'", 400)).contains("filter-error");
        assertThat(page("&filter=bogus = 'x'", 400)).contains("is not a run attribute");
        assertThat(page("&sort=nope.loss", 400)).contains("view-error").contains("is not a column");
        assertThat(page("&dir=sideways&sort=run_name", 400)).contains("view-error");
        assertThat(page("&filter=" + "x".repeat(RunTable.MAX_FILTER + 1), 400))
                .contains("limit is " + RunTable.MAX_FILTER);
        StringBuilder many = new StringBuilder("metrics.loss > 0");
        for (int i = 0; i < RunTable.MAX_CLAUSES; i++) {
            many.append(" and metrics.loss > 0");
        }
        assertThat(page("&filter=" + many, 400)).contains("the limit is " + RunTable.MAX_CLAUSES);
    }

    @Test
    void anonymousVisitorsAreSentToSignIn() throws Exception {
        mvc.perform(get("/runs?sort=metrics.loss")).andExpect(status().is3xxRedirection());
    }
}
