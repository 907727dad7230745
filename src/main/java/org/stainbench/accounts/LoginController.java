package org.stainbench.accounts;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class LoginController {

    @GetMapping("/login")
    String login(@RequestParam(required = false) String locked, Model model) {
        if (locked != null) {
            model.addAttribute("lockedMessage", lockedMessage(locked));
        }
        return "login";
    }

    /** The text for {@code /login?locked=SECONDS} ({@link LoginThrottleFilter}). */
    static String lockedMessage(String seconds) {
        long s;
        try {
            s = Math.max(1, Long.parseLong(seconds.trim()));
        } catch (NumberFormatException e) {
            s = 0;
        }
        String wait = s == 0 ? "a while" : s < 120 ? s + " seconds" : ((s + 59) / 60) + " minutes";
        return "Too many failed sign-ins for this user name or from this address. Sign-in is locked: try again in "
                + wait + ".";
    }
}
