package org.stainbench.accounts;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
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
    private final UserDetailsService userDetails;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    AccountController(Accounts accounts, UserDetailsService userDetails) {
        this.accounts = accounts;
        this.userDetails = userDetails;
    }

    @GetMapping("/account")
    String account(Principal me, Model model) {
        model.addAttribute("username", me.getName());
        return "account";
    }

    @PostMapping("/account/password")
    String changePassword(
            Principal me,
            @RequestParam String current,
            @RequestParam String password,
            @RequestParam String repeat,
            RedirectAttributes flash,
            HttpServletRequest request,
            HttpServletResponse response) {
        try {
            if (!password.equals(repeat)) {
                throw new IllegalArgumentException("The new password and its repetition differ.");
            }
            accounts.changeOwnPassword(me.getName(), current, password);
            keepThisSession(me, request, response);
            flash.addFlashAttribute("message", "Password changed.");
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/account";
    }

    /**
     * A new password ends every session of the user ({@link StaleSessionFilter}) except the one that changed it: this
     * one gets a new id and a principal with the new fingerprint.
     */
    private void keepThisSession(Principal me, HttpServletRequest request, HttpServletResponse response) {
        if (!(me instanceof Authentication old) || !(old.getPrincipal() instanceof SignedInUser)) {
            return;
        }
        UserDetails fresh = userDetails.loadUserByUsername(me.getName());
        var auth = UsernamePasswordAuthenticationToken.authenticated(fresh, null, fresh.getAuthorities());
        auth.setDetails(old.getDetails());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        contexts.saveContext(context, request, response);
    }
}
