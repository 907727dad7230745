package org.stainbench;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import fixtures.archunit.GadgetController;
import fixtures.archunit.SprocketController;
import fixtures.archunit.WidgetController;
import fixtures.archunit.WidgetStore;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;

/**
 * Controllers go through their module's facade: no {@code @Controller}/{@code @RestController} depends on a
 * {@code *Store} class or on {@code JdbcClient}/{@code JdbcTemplate}, none injects another controller, and none
 * depends on another controller at all (not even on its static helpers). No exception anywhere: the MLflow adapters
 * of {@code training} go through {@code Runs}, {@code LoggedModels} and {@code RunArtifacts} like every page.
 */
class ArchitectureTest {

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.stainbench");

    static final DescribedPredicate<JavaClass> CONTROLLERS =
            describe("controllers", c -> !c.isAnnotation() && c.isMetaAnnotatedWith(Controller.class));

    static final DescribedPredicate<JavaClass> STORES_OR_JDBC = describe(
            "*Store classes, JdbcClient or JdbcTemplate",
            c -> c.getSimpleName().endsWith("Store")
                    || c.isAssignableTo(JdbcClient.class)
                    || c.isAssignableTo(JdbcTemplate.class)
                    || c.isAssignableTo(NamedParameterJdbcTemplate.class));

    static ArchRule controllersStayAwayFromStores(Set<String> allowed) {
        return noClasses()
                .that(CONTROLLERS)
                .and(describe("not allow-listed", c -> !allowed.contains(c.getName())))
                .should()
                .dependOnClassesThat(STORES_OR_JDBC)
                .because("a controller calls its module's facade, which owns the store");
    }

    /** A field or constructor parameter whose type is another controller. */
    static final ArchCondition<JavaClass> NOT_INJECT_A_CONTROLLER =
            new ArchCondition<>("not inject another controller") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    Stream.concat(
                                    c.getFields().stream().map(JavaField::getRawType),
                                    c.getConstructors().stream().flatMap(k -> k.getRawParameterTypes().stream()))
                            .filter(t -> !t.equals(c) && CONTROLLERS.test(t))
                            .distinct()
                            .forEach(t -> events.add(
                                    SimpleConditionEvent.violated(c, c.getName() + " injects " + t.getName())));
                }
            };

    static ArchRule noControllerInjectsAnother(Set<String> allowed) {
        return classes()
                .that(CONTROLLERS)
                .and(describe("not allow-listed", c -> !allowed.contains(c.getName())))
                .should(NOT_INJECT_A_CONTROLLER)
                .because("shared page logic belongs in the facade or a helper bean, not in another controller");
    }

    /** Any dependency (field, call, static helper, constant that is not inlined) on another controller class. */
    static final ArchCondition<JavaClass> NOT_DEPEND_ON_A_CONTROLLER =
            new ArchCondition<>("not depend on another controller") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    c.getDirectDependenciesFromSelf().stream()
                            .map(d -> d.getTargetClass().getBaseComponentType())
                            .filter(t -> !t.equals(c) && CONTROLLERS.test(t))
                            .map(JavaClass::getName)
                            .distinct()
                            .forEach(t -> events.add(
                                    SimpleConditionEvent.violated(c, c.getName() + " depends on controller " + t)));
                }
            };

    static ArchRule noControllerDependsOnAnother() {
        return classes()
                .that(CONTROLLERS)
                .should(NOT_DEPEND_ON_A_CONTROLLER)
                .because("what two controllers share belongs in the module's facade or a helper class");
    }

    @Test
    void controllersDoNotReachStoresOrJdbc() {
        controllersStayAwayFromStores(Set.of()).check(MAIN);
    }

    @Test
    void noControllerInjectsAnotherController() {
        noControllerInjectsAnother(Set.of()).check(MAIN);
    }

    @Test
    void noControllerDependsOnAnotherController() {
        noControllerDependsOnAnother().check(MAIN);
    }

    /** The rules on fixtures: a controller holding a store, and one holding another controller, both fail. */
    @Test
    void theRulesCatchViolations() {
        JavaClasses fixtures = new ClassFileImporter()
                .importClasses(
                        WidgetController.class,
                        GadgetController.class,
                        WidgetStore.class,
                        SprocketController.class,
                        SprocketController.CogController.class);
        assertThat(controllersStayAwayFromStores(Set.of())
                        .evaluate(fixtures)
                        .getFailureReport()
                        .getDetails())
                .anySatisfy(d -> assertThat(d).contains("WidgetController").contains("WidgetStore"));
        assertThat(noControllerInjectsAnother(Set.of())
                        .evaluate(fixtures)
                        .getFailureReport()
                        .getDetails())
                .anySatisfy(d -> assertThat(d).contains("GadgetController").contains("WidgetController"));
        // a static helper of another controller is a dependency too, an injected one of course as well
        assertThat(noControllerDependsOnAnother()
                        .evaluate(fixtures)
                        .getFailureReport()
                        .getDetails())
                .anySatisfy(d -> assertThat(d)
                        .contains("CogController depends on controller")
                        .contains("SprocketController"))
                .anySatisfy(d -> assertThat(d)
                        .contains("GadgetController depends on controller")
                        .contains("WidgetController"));
        assertThat(controllersStayAwayFromStores(Set.of(WidgetController.class.getName()))
                        .evaluate(fixtures)
                        .hasViolation())
                .isFalse();
    }
}
