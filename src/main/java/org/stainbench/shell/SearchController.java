package org.stainbench.shell;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /search?q=}: the one search box. Asks every module's {@link SearchSource} and shows the hits grouped by kind;
 * with {@code HX-Request} only the hits (the live results under the box), without it the whole page.
 */
@Controller
class SearchController {

    static final int PAGE_LIMIT = 10;
    static final int LIVE_LIMIT = 5;
    static final int MAX_QUERY = 200;

    /** The hits of one kind. */
    record Group(String kind, List<SearchSource.Hit> hits) {}

    private final List<SearchSource> sources;

    SearchController(List<SearchSource> sources) {
        this.sources = sources;
    }

    @GetMapping("/search")
    String search(@RequestParam(required = false) String q, Model model) {
        return search(q, model, false);
    }

    @HxRequest
    @GetMapping("/search")
    String searchLive(@RequestParam(required = false) String q, Model model) {
        return search(q, model, true);
    }

    private String search(String q, Model model, boolean hx) {
        boolean live = hx;
        String query = q == null ? "" : q.strip();
        model.addAttribute("q", query);
        model.addAttribute("live", live);
        model.addAttribute("kinds", sources.stream().map(SearchSource::kind).toList());
        if (query.isEmpty()) {
            model.addAttribute(
                    "note",
                    "Type part of a name, a tag or a patient id to search datasets, archives, checkpoints, "
                            + "runs and evaluations.");
        } else if (query.length() > MAX_QUERY) {
            model.addAttribute(
                    "note", "A search is at most " + MAX_QUERY + " characters; this one has " + query.length() + ".");
        } else {
            List<Group> groups = new ArrayList<>();
            for (SearchSource s : sources) {
                List<SearchSource.Hit> hits = s.search(query, live ? LIVE_LIMIT : PAGE_LIMIT);
                if (!hits.isEmpty()) {
                    groups.add(new Group(s.kind(), hits));
                }
            }
            model.addAttribute("groups", groups);
            if (groups.isEmpty()) {
                model.addAttribute(
                        "note",
                        "Nothing matches '" + query + "'. Search looks at names, descriptions, tags, notes, "
                                + "parameters and patient ids; try a shorter part of the name.");
            }
        }
        model.addAttribute("limit", live ? LIVE_LIMIT : PAGE_LIMIT);
        return live ? "search/results :: hits" : "search/results";
    }
}
