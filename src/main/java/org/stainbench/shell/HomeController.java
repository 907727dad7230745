package org.stainbench.shell;

import java.util.Comparator;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class HomeController {

    private final List<InventoryCount> counts;

    HomeController(List<InventoryCount> counts) {
        this.counts = counts.stream()
                .sorted(Comparator.comparingInt(InventoryCount::order))
                .toList();
    }

    @GetMapping("/")
    String home(Authentication auth, Model model) {
        boolean pathologistOnly = !Roles.has(auth, "SUPERVISOR");
        if (pathologistOnly) {
            return "redirect:/review";
        }
        boolean supervisorOnly = !Roles.has(auth, "MEMBER");
        if (supervisorOnly) {
            return "redirect:/dashboard"; // supervisors' home page
        }
        model.addAttribute(
                "counts",
                counts.stream()
                        .map(c -> new Tile(c.label(), c.count(), c.href()))
                        .toList());
        return "home";
    }

    record Tile(String label, long count, String href) {}
}
