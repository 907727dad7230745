package org.stainbench.activity;

import java.security.Principal;
import java.util.Comparator;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.shell.Trash;

/**
 * {@code /admin/deleted} (admins only, like all of {@code /admin/**}): every soft-deleted thing, newest deletion
 * first, paged, each with a Restore button. The modules that own the things answer through {@link Trash}.
 */
@Controller
class TrashController {

    static final int PAGE_SIZE = 25;

    private final ObjectProvider<Trash> trash;

    TrashController(ObjectProvider<Trash> trash) {
        this.trash = trash;
    }

    @GetMapping("/admin/deleted")
    String page(@RequestParam(defaultValue = "0") int page, Model model) {
        List<Trash.Deleted> all = trash.orderedStream()
                .flatMap(t -> t.deleted().stream())
                .sorted(Comparator.comparing(Trash.Deleted::deletedAt)
                        .reversed()
                        .thenComparing(Trash.Deleted::kind)
                        .thenComparing(Trash.Deleted::id))
                .toList();
        int p = Math.max(0, page);
        int from = Math.min(all.size(), p * PAGE_SIZE);
        model.addAttribute(
                "page",
                new PageImpl<>(
                        all.subList(from, Math.min(all.size(), from + PAGE_SIZE)),
                        PageRequest.of(p, PAGE_SIZE),
                        all.size()));
        return "activity/deleted";
    }

    @PostMapping("/admin/deleted/{kind}/{id}/restore")
    String restore(@PathVariable String kind, @PathVariable long id, Principal who, RedirectAttributes flash) {
        Trash t = trash.orderedStream()
                .filter(x -> x.kind().equals(kind))
                .findFirst()
                .orElse(null);
        if (t == null) {
            flash.addFlashAttribute("error", "Nothing of kind '" + kind + "' can be restored.");
            return "redirect:/admin/deleted";
        }
        String title = t.deleted().stream()
                .filter(d -> d.id() == id)
                .map(Trash.Deleted::title)
                .findFirst()
                .orElse(null);
        try {
            t.restore(id, who.getName());
            flash.addFlashAttribute("message", "Restored " + kind + " '" + title + "'.");
        } catch (IllegalArgumentException | org.springframework.web.server.ResponseStatusException e) {
            flash.addFlashAttribute(
                    "error",
                    e instanceof org.springframework.web.server.ResponseStatusException r
                            ? r.getReason()
                            : e.getMessage());
        }
        return "redirect:/admin/deleted";
    }
}
