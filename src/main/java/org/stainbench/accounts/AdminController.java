package org.stainbench.accounts;

import java.security.Principal;
import java.time.Instant;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admin pages: users (create, re-role, disable) and machine tokens (create, revoke). */
@Controller
@RequestMapping("/admin")
class AdminController {

    private static final int PAGE_SIZE = 50;

    private final Accounts accounts;

    AdminController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping({"", "/"})
    String index() {
        return "redirect:/admin/users";
    }

    @GetMapping("/users")
    String users(@RequestParam(defaultValue = "0") int page, Model model) {
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new UserForm("", "", Role.MEMBER, ""));
        }
        model.addAttribute("users", accounts.users(page, PAGE_SIZE).map(UserRow::of));
        model.addAttribute("roles", Role.values());
        return "admin/users";
    }

    @PostMapping("/users")
    String createUser(@ModelAttribute("form") UserForm form, Principal me, Model model, RedirectAttributes flash) {
        try {
            UserAccount user = accounts.createUser(
                    form.username(), form.displayName(), form.role(), form.password(), me.getName());
            flash.addFlashAttribute("message", "Created user '" + user.getUsername() + "' as " + user.getRole() + ".");
            return "redirect:/admin/users";
        } catch (IllegalArgumentException e) {
            model.addAttribute("formError", e.getMessage());
            model.addAttribute("form", new UserForm(form.username(), form.displayName(), form.role(), ""));
            return users(0, model);
        }
    }

    @PostMapping("/users/{id}/role")
    String changeRole(@PathVariable long id, @RequestParam Role role, Principal me, RedirectAttributes flash) {
        return act(
                flash,
                () -> accounts.changeRole(id, role, me.getName()),
                "Role changed to " + role + "."
                        + (role == Role.PATHOLOGIST ? " Pathologists hold no machine tokens: theirs were revoked." : "")
                        + " Their open sessions end now.",
                "/admin/users");
    }

    @PostMapping("/users/{id}/enabled")
    String setEnabled(@PathVariable long id, @RequestParam boolean enabled, Principal me, RedirectAttributes flash) {
        return act(
                flash,
                () -> accounts.setEnabled(id, enabled, me.getName()),
                enabled ? "User enabled." : "User disabled.",
                "/admin/users");
    }

    @PostMapping("/users/{id}/password")
    String resetPassword(@PathVariable long id, @RequestParam String password, Principal me, RedirectAttributes flash) {
        return act(flash, () -> accounts.resetPassword(id, password, me.getName()), "Password reset.", "/admin/users");
    }

    @GetMapping("/tokens")
    String tokens(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("tokens", accounts.tokens(page, PAGE_SIZE).map(TokenRow::of));
        model.addAttribute("usernames", accounts.tokenOwners());
        model.addAttribute("scopes", TokenScope.issuable());
        return "admin/tokens";
    }

    @PostMapping("/tokens")
    String createToken(
            @RequestParam String name,
            @RequestParam String owner,
            @RequestParam TokenScope scope,
            Principal me,
            RedirectAttributes flash) {
        try {
            Accounts.IssuedToken issued = accounts.issueToken(name, owner, scope, me.getName());
            flash.addFlashAttribute("issuedToken", issued);
            flash.addFlashAttribute(
                    "message", "Created token '" + issued.name() + "'. Copy it now: it is shown only once.");
        } catch (Accounts.FieldProblem e) {
            flash.addFlashAttribute(e.field() + "Error", e.getMessage());
            flash.addFlashAttribute("error", "The token was not created: see the form below.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/tokens";
    }

    @PostMapping("/tokens/{id}/revoke")
    String revoke(@PathVariable long id, Principal me, RedirectAttributes flash) {
        return act(flash, () -> accounts.revokeToken(id, me.getName()), "Token revoked.", "/admin/tokens");
    }

    private static String act(RedirectAttributes flash, Runnable action, String done, String back) {
        try {
            action.run();
            flash.addFlashAttribute("message", done);
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:" + back;
    }

    record UserRow(long id, String username, String displayName, Role role, boolean enabled, Instant createdAt) {
        static UserRow of(UserAccount u) {
            return new UserRow(
                    u.getId(), u.getUsername(), u.getDisplayName(), u.getRole(), u.isEnabled(), u.getCreatedAt());
        }
    }

    record TokenRow(
            long id,
            String name,
            String owner,
            TokenScope scope,
            String tokenPrefix,
            Instant createdAt,
            Instant lastUsedAt,
            Instant revokedAt) {
        static TokenRow of(MachineToken t) {
            return new TokenRow(
                    t.getId(),
                    t.getName(),
                    t.getOwner().getUsername(),
                    t.getScope(),
                    t.getTokenPrefix(),
                    t.getCreatedAt(),
                    t.getLastUsedAt(),
                    t.getRevokedAt());
        }
    }

    record UserForm(String username, String displayName, Role role, String password) {}
}
