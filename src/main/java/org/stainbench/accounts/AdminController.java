package org.stainbench.accounts;

import java.security.Principal;
import java.time.Instant;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;

/** Admin pages: users (create, re-role, disable) and machine tokens (create, revoke). */
@Controller
@RequestMapping("/admin")
class AdminController {

    private static final int PAGE_SIZE = 50;

    private final Accounts accounts;
    private final UserRepository users;
    private final MachineTokenRepository tokens;
    private final ApplicationEventPublisher events;

    AdminController(Accounts accounts, UserRepository users, MachineTokenRepository tokens,
            ApplicationEventPublisher events) {
        this.accounts = accounts;
        this.users = users;
        this.tokens = tokens;
        this.events = events;
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
        model.addAttribute("users", users.findAll(PageRequest.of(Math.max(page, 0), PAGE_SIZE, Sort.by("username")))
                .map(UserRow::of));
        model.addAttribute("roles", Role.values());
        return "admin/users";
    }

    @PostMapping("/users")
    String createUser(@ModelAttribute("form") UserForm form, Principal me, Model model, RedirectAttributes flash) {
        try {
            UserAccount user = accounts.createUser(form.username(), form.displayName(), form.role(), form.password());
            events.publishEvent(Activity.of(me.getName(), "registered", ActivitySubject.USER, user.getId(),
                    "Created user '" + user.getUsername() + "' (" + user.getRole() + ")", "/admin/users"));
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
        return act(flash, () -> {
            accounts.changeRole(id, role, me.getName());
            events.publishEvent(Activity.of(me.getName(), "edited", ActivitySubject.USER, id, "Changed the role of " + name(id)
                    + " to " + role, "/admin/users"));
        }, "Role changed to " + role + "." + (role == Role.PATHOLOGIST
                ? " Pathologists hold no machine tokens: theirs were revoked." : "")
                + " Their open sessions end now.", "/admin/users");
    }

    @PostMapping("/users/{id}/enabled")
    String setEnabled(@PathVariable long id, @RequestParam boolean enabled, Principal me, RedirectAttributes flash) {
        return act(flash, () -> {
            accounts.setEnabled(id, enabled, me.getName());
            events.publishEvent(Activity.of(me.getName(), enabled ? "enabled" : "disabled", ActivitySubject.USER, id,
                    (enabled ? "Enabled " : "Disabled ") + name(id), "/admin/users"));
        }, enabled ? "User enabled." : "User disabled.", "/admin/users");
    }

    @PostMapping("/users/{id}/password")
    String resetPassword(@PathVariable long id, @RequestParam String password, Principal me,
            RedirectAttributes flash) {
        return act(flash, () -> {
            accounts.resetPassword(id, password);
            events.publishEvent(Activity.of(me.getName(), "edited", ActivitySubject.USER, id, "Reset the password of " + name(id),
                    "/admin/users"));
        }, "Password reset.", "/admin/users");
    }

    @GetMapping("/tokens")
    String tokens(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("tokens", tokens.findAllByOrderByCreatedAtDesc(PageRequest.of(Math.max(page, 0), PAGE_SIZE))
                .map(TokenRow::of));
        model.addAttribute("usernames", users.findAll(Sort.by("username")).stream()
                .filter(u -> u.isEnabled() && u.getRole() != Role.PATHOLOGIST).map(UserAccount::getUsername).toList());
        model.addAttribute("scopes", TokenScope.issuable());
        return "admin/tokens";
    }

    @PostMapping("/tokens")
    String createToken(@RequestParam String name, @RequestParam String owner, @RequestParam TokenScope scope,
            Principal me, RedirectAttributes flash) {
        try {
            Accounts.IssuedToken issued = accounts.issueToken(name, owner, scope);
            events.publishEvent(Activity.of(me.getName(), "registered", ActivitySubject.TOKEN, issued.id(),
                    "Created " + scope + " token '" + issued.name() + "' for " + owner, "/admin/tokens"));
            flash.addFlashAttribute("issuedToken", issued);
            flash.addFlashAttribute("message", "Created token '" + issued.name()
                    + "'. Copy it now: it is shown only once.");
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
        return act(flash, () -> {
            accounts.revokeToken(id);
            String token = tokens.findById(id).map(MachineToken::getName).orElse("#" + id);
            events.publishEvent(Activity.of(me.getName(), "revoked", ActivitySubject.TOKEN, id, "Revoked token '" + token + "'",
                    "/admin/tokens"));
        }, "Token revoked.", "/admin/tokens");
    }

    private String name(long userId) {
        return users.findById(userId).map(UserAccount::getUsername).orElse("#" + userId);
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
            return new UserRow(u.getId(), u.getUsername(), u.getDisplayName(), u.getRole(), u.isEnabled(),
                    u.getCreatedAt());
        }
    }

    record TokenRow(long id, String name, String owner, TokenScope scope, String tokenPrefix, Instant createdAt,
            Instant lastUsedAt, Instant revokedAt) {
        static TokenRow of(MachineToken t) {
            return new TokenRow(t.getId(), t.getName(), t.getOwner().getUsername(), t.getScope(), t.getTokenPrefix(),
                    t.getCreatedAt(), t.getLastUsedAt(), t.getRevokedAt());
        }
    }

    record UserForm(String username, String displayName, Role role, String password) {
    }
}
