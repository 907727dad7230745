package org.stainbench.shell;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /help/metrics}: every metric and term of the {@link Glossary}, each with its anchor. Read by supervisors up. */
@Controller
class HelpController {

    private final Glossary glossary;

    HelpController(Glossary glossary) {
        this.glossary = glossary;
    }

    @GetMapping("/help/metrics")
    String metrics(Model model) {
        model.addAttribute("sections", glossary.sections());
        return "help/metrics";
    }
}
