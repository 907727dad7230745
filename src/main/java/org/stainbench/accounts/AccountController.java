package org.stainbench.accounts;

import java.security.Principal;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The signed-in person's own account: change password. Open to every role. */
@Controller
class AccountController {

    private final Accounts accounts;

    AccountController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/account")
    String account(Principal me, Model model) {
        model.addAttribute("username", me.getName());
        return "account";
    }

    @PostMapping("/account/password")
    String changePassword(Principal me, @RequestParam String current, @RequestParam String password,
            @RequestParam String repeat, RedirectAttributes flash) {
        try {
            if (!password.equals(repeat)) {
                throw new IllegalArgumentException("The new password and its repetition differ.");
            }
            accounts.changeOwnPassword(me.getName(), current, password);
            flash.addFlashAttribute("message", "Password changed.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/account";
    }
}
