package org.stainbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.stainbench.catalog.DemoDatasets;
import org.stainbench.checkpoints.GeneratedSetStatus;
import org.stainbench.evaluation.EvaluationJobTypes;
import org.stainbench.shell.Activity;
import org.stainbench.shell.ActivitySubject;
import org.stainbench.shell.Dependants;

/**
 * Types, not strings: the values that cross module borders are exported by their owning module, keep the strings
 * already stored (no DB change), and no other module spells them out again.
 */
class ExportedTypesTest {

    static final Path MAIN = Path.of("src/main/java/org/stainbench");

    @Test
    void exportedTypesKeepTheStoredStrings() {
        assertThat(Arrays.stream(GeneratedSetStatus.values()).map(Enum::name))
                .containsExactly("GENERATING", "READY", "FAILED");
        assertThat(EvaluationJobTypes.EVALUATION).isEqualTo("evaluation");
        assertThat(List.of(DemoDatasets.HE, DemoDatasets.CK7, DemoDatasets.REAL_HE, DemoDatasets.REAL_IHC))
                .containsExactly(
                        "Demo H&E (synthetic)",
                        "Demo CK7 (synthetic)",
                        "Real tissue H&E (demo)",
                        "Real tissue IHC (demo)");
        assertThat(Activity.of("ann", "created", ActivitySubject.REVIEW_SESSION, 7, "Created", null)
                        .subjectType())
                .isEqualTo("review session");
        assertThat(ActivitySubject.DATASET.label()).isEqualTo(Dependants.DATASET);
        assertThat(ActivitySubject.CHECKPOINT.label()).isEqualTo(Dependants.CHECKPOINT);
        List<String> labels = Arrays.stream(ActivitySubject.values())
                .map(ActivitySubject::label)
                .toList();
        assertThat(labels).doesNotHaveDuplicates().allSatisfy(l -> assertThat(l.length())
                .isLessThanOrEqualTo(32));
    }

    /** A module other than the owner that writes one of these literals has re-declared the value. */
    @Test
    void noModuleRedeclaresAnotherModulesStrings() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String module = MAIN.relativize(f).getName(0).toString();
                String text = Files.readString(f);
                // MLflow's own vocabulary has a READY (ModelVersionStatus, LoggedModelStatus): the MLflow adapters say
                // it
                if (!f.getFileName().toString().startsWith("Mlflow")) {
                    check(found, f, text, module, "checkpoints", "\"READY\"", "\"GENERATING\"");
                }
                check(
                        found,
                        f,
                        text,
                        module,
                        "catalog",
                        "\"Demo H&E (synthetic)\"",
                        "\"Demo CK7 (synthetic)\"",
                        "\"Real tissue H&E (demo)\"",
                        "\"Real tissue IHC (demo)\"");
                check(found, f, text, module, "evaluation", "EVALUATION_JOB = \"evaluation\"");
            }
        }
        assertThat(found).isEmpty();
    }

    private static void check(
            List<String> found, Path f, String text, String module, String owner, String... literals) {
        if (module.equals(owner)) {
            return;
        }
        for (String l : literals) {
            if (text.contains(l)) {
                found.add(f + ": " + l);
            }
        }
    }
}
