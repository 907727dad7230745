package org.stainbench.activity;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import java.time.LocalDate;
import org.springframework.data.domain.PageRequest;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /activity}: the trail, newest first, filterable by person, action, kind of thing and dates.
 * The table alone is served to htmx requests (filters update it in place); the full page otherwise.
 */
@Controller
class ActivityController {

    private static final int PAGE_SIZE = 50;

    private final ActivityTrail trail;

    ActivityController(ActivityTrail trail) {
        this.trail = trail;
    }

    @GetMapping("/activity")
    String page(Params p, Model model) {
        fill(p, model);
        model.addAttribute("actors", trail.distinct("actor"));
        model.addAttribute("actions", trail.distinct("action"));
        model.addAttribute("types", trail.distinct("subject_type"));
        return "activity/index";
    }

    @HxRequest
    @GetMapping("/activity")
    String table(Params p, Model model) {
        fill(p, model);
        return "activity/index :: results";
    }

    private void fill(Params p, Model model) {
        var filter = new ActivityTrail.Filter(p.actor(), p.action(), p.type(), p.from(), p.to());
        model.addAttribute("filter", filter);
        model.addAttribute("entries", trail.find(filter, PageRequest.of(Math.max(p.page(), 0), PAGE_SIZE)));
    }

    record Params(
            String actor,
            String action,
            String type,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            Integer page) {

        Params {
            page = page == null ? 0 : page;
        }
    }
}
