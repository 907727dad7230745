package org.stainbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One door per module (issue 20): a controller (every {@code @Controller} and {@code @RestController}, the MLflow REST
 * adapters of {@code training} included) neither records activity itself, nor reads a store or a repository, nor tests
 * a caller's role by hand; writes, rules, role checks and activity events are the module facade's, and a page reads
 * through it. Read from the sources, so a new controller that breaks the rule fails here with its name.
 */
class FacadeDoorsTest {

    static final Path MAIN = Path.of("src", "main", "java", "org", "stainbench");
    static final Pattern FIELD = Pattern.compile("private final (\\w+) \\w+;");
    static final Pattern CONTROLLER = Pattern.compile("(?m)^@(Rest)?Controller\\b");
    /** A role tested by hand: an authority compared, a ROLE_ literal, the servlet or Security helpers. */
    static final Pattern ROLE_TEST =
            Pattern.compile("getAuthority\\(\\)\\.equals|\"ROLE_|isUserInRole|hasRole\\(|hasAuthority\\(");

    static List<Path> controllers() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".java"))
                    .filter(f -> {
                        try {
                            return CONTROLLER.matcher(Files.readString(f)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .sorted()
                    .toList();
        }
    }

    @Test
    void controllersPublishNoActivityAndReachNoStoreOrRepository() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path f : controllers()) {
            String src = Files.readString(f);
            if (src.contains("publishEvent(") || src.contains("ApplicationEventPublisher")) {
                problems.add(f.getFileName() + " publishes activity events itself");
            }
            Matcher m = FIELD.matcher(src);
            while (m.find()) {
                if (m.group(1).endsWith("Store") || m.group(1).endsWith("Repository")) {
                    problems.add(f.getFileName() + " holds a " + m.group(1));
                }
            }
        }
        assertThat(controllers()).hasSizeGreaterThan(20);
        assertThat(problems).isEmpty();
    }

    /**
     * Fine-grained role rules are named methods of the facades ({@code Catalog.checkMayDelete},
     * {@code Runs.visibleRun}, {@code AgentService.nodeToken}, …) and no controller refuses with an
     * {@code AccessDeniedException} of its own; {@code /api/whoami} only reports the caller's roles.
     */
    @Test
    void controllersTestNoRoleThemselves() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path f : controllers()) {
            String src = Files.readString(f);
            boolean handRolled = !f.endsWith("WhoAmIController.java")
                    && ROLE_TEST.matcher(src).find();
            if (handRolled || src.contains("new AccessDeniedException")) {
                problems.add(f.getFileName().toString());
            }
        }
        assertThat(controllers()).as("the MLflow adapters are controllers too").anySatisfy(f -> assertThat(f)
                .hasFileName("MlflowApi.java"));
        assertThat(problems).as("controllers testing a role by hand").isEmpty();
    }

    @Test
    void reviewsRoleRulesAreTheFacadesNotTheControllers() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path f : controllers()) {
            if (f.startsWith(MAIN.resolve("review")) && Files.readString(f).contains("ReviewAccess.require")) {
                problems.add(f.getFileName().toString());
            }
        }
        assertThat(problems)
                .as("review controllers checking the member/supervisor rule themselves")
                .isEmpty();
    }

    @Test
    void noControllerReadsTheHtmxHeaderByHand() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path f : controllers()) {
            if (Files.readString(f).contains("@RequestHeader(value = \"HX-Request\"")) {
                problems.add(f.getFileName().toString());
            }
        }
        assertThat(problems)
                .as("controllers with a hand-read HX-Request header (use @HxRequest twins)")
                .isEmpty();
    }
}
