package org.stainbench.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Issue 15 item 18: a parameter value is one literal piece of one argument whatever quotes the template puts around
 * it; checked by running the rendered command with the real bash. Places where the quoting cannot be made safe are
 * refused when the template is saved.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class TemplateQuotingTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    CommandTemplates templates;

    @TempDir
    Path tmp;

    static final List<String> HOSTILE = List.of(
            "$(touch PWNED)",
            "`touch PWNED`",
            "\"; touch PWNED; \"",
            "'; touch PWNED; '",
            "a\\\"b\\",
            "$HOME ${HOME} $((1+1))",
            "two  words * ?",
            "line1\nline2",
            "it's \"quoted\"",
            "-n",
            "!x",
            "\\$(touch PWNED)");

    /** Runs the command with bash in {@code dir}; returns its NUL-separated output fields. */
    static List<String> bash(String command, Path dir) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command)
                .directory(dir.toFile())
                .redirectErrorStream(false)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String s = out.toString(StandardCharsets.UTF_8);
        List<String> fields = new ArrayList<>(Arrays.asList(s.split("\0", -1)));
        fields.remove(fields.size() - 1);
        return fields;
    }

    @Test
    void everyValueEndsUpLiterallyInItsArgumentWithTheRealBash() throws Exception {
        String template = "printf '%s\\0' --run-name \"{v}\" {v} '{v}' \"pre {v} post\" x{v}y '{v}'\"{v}\" "
                + "\"$(printf '%s' \"{v}\")\" \"$(printf '%s' {v})\" --home \"${HOME}\"";
        for (String v : HOSTILE) {
            String command = TemplateText.render(template, Map.of("v", v), true);
            List<String> args = bash(command, tmp);
            assertThat(args)
                    .as("value %s rendered as %s", v, command)
                    .containsExactly(
                            "--run-name",
                            v,
                            v,
                            v,
                            "pre " + v + " post",
                            "x" + v + "y",
                            v + v,
                            v,
                            v,
                            "--home",
                            System.getenv("HOME") == null ? "" : System.getenv("HOME"));
            assertThat(Files.exists(tmp.resolve("PWNED")))
                    .as("value %s ran a command", v)
                    .isFalse();
        }
    }

    @Test
    void placesWhereQuotingCannotBeMadeSafeAreRefused() {
        for (String t : List.of(
                "echo `echo {v}`",
                "echo \"`echo {v}`\"",
                "echo ${X:-{v}}",
                "echo $(( {v} + 1 ))",
                "true # {v}",
                "cat <<EOF\n{v}\nEOF",
                "echo $(case a in a) echo ;; esac; echo {v})")) {
            assertThatThrownBy(() -> TemplateText.checkPlacement(t))
                    .as(t)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("{v}")
                    .hasMessageContaining("could run as shell code");
            assertThatThrownBy(() -> TemplateText.render(t, Map.of("v", "x"), true))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        // a brace expansion of the shell and ${NAME} are not parameters; these are fine
        TemplateText.checkPlacement("echo ${HOME} \"$(date)\" {v} && echo '#{v}' \"#{v}\"");
    }

    @Test
    void aTemplateWithAParameterInBackticksIsRefusedWhenSaved() throws Exception {
        mvc.perform(post("/jobs/templates")
                        .with(user("tq-mem").roles("MEMBER", "SUPERVISOR"))
                        .with(csrf())
                        .param("name", "tq-backticks")
                        .param("command", "python train.py --run-name \"`echo {name}`\"")
                        .param("parameters", "name")
                        .param("cpus", "1")
                        .param("memoryMb", "100")
                        .param("timeLimitMinutes", "10"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", containsString("Parameter {name} stands inside backticks")));
        assertThat(templates.all()).noneMatch(t -> t.name().equals("tq-backticks"));
    }
}
