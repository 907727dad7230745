package org.stainbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;
import org.springframework.modulith.docs.Documenter;

/**
 * Module boundaries: no cycles, no module reaching into another's internal packages, and no module using one its
 * {@code package-info.java} does not list in {@code @ApplicationModule(allowedDependencies = …)}. Also writes the
 * module diagram (src/docs/modules/).
 */
class ModularityTest {

    static final ApplicationModules MODULES = ApplicationModules.of(StainbenchApplication.class);

    /** Where the committed copy of the generated diagram and canvases lives (linked from src/docs/architecture.md). */
    static final Path COMMITTED = Path.of("src/docs/modules");

    @Test
    void modulesRespectTheirBoundaries() {
        MODULES.verify();
    }

    /** The same check on a three-module fixture: orders declares only customers but also uses inventory. */
    @Test
    void anUndeclaredModuleDependencyFailsVerification() {
        ApplicationModules fixture = ApplicationModules.of("fixtures.modulith", location -> true);
        Violations violations = fixture.detectViolations();
        assertThat(violations.getMessages()).anySatisfy(m -> assertThat(m)
                .contains("fixtures.modulith.orders.Orders")
                .contains("fixtures.modulith.inventory.Stock"));
        assertThat(violations.getMessages()).noneSatisfy(m -> assertThat(m).contains("Customers"));
        assertThatThrownBy(fixture::verify).isInstanceOf(Violations.class);
    }

    /**
     * Modulith's Documenter writes the C4 PlantUML diagram of all modules, one per module and the module canvases to
     * target/spring-modulith-docs; the build copies them to src/docs/modules so that the committed map follows the
     * code (a changed file there shows up in {@code git status}).
     */
    @Test
    void writesTheModuleDiagram() throws IOException {
        Path generated = Path.of("target/spring-modulith-docs");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(generated.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        Files.createDirectories(COMMITTED);
        List<Path> files;
        try (Stream<Path> s = Files.list(generated)) {
            files = s.filter(p -> p.toString().endsWith(".puml") || p.toString().endsWith(".adoc"))
                    .sorted()
                    .toList();
        }
        for (Path f : files) {
            Path copy = COMMITTED.resolve(f.getFileName().toString());
            String text = stable(Files.readString(f));
            if (!Files.exists(copy) || !Files.readString(copy).equals(text)) {
                Files.writeString(copy, text);
            }
        }
        assertThat(COMMITTED.resolve("components.puml")).exists();
        assertThat(Files.readString(COMMITTED.resolve("components.puml")))
                .contains("Dashboard")
                .contains("Training");
    }

    /** The Documenter lists relations in hash order: sort each run of {@code Rel(…)} lines so the copy only changes with the map. */
    static String stable(String puml) {
        List<String> out = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (String line : puml.split("\n", -1)) {
            if (line.startsWith("Rel(")) {
                run.add(line);
                continue;
            }
            Collections.sort(run);
            out.addAll(run);
            run.clear();
            out.add(line);
        }
        Collections.sort(run);
        out.addAll(run);
        return String.join("\n", out);
    }
}
