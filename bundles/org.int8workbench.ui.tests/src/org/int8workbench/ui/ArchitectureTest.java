package org.int8workbench.ui;

import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.targetOwner;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.head.CutHeadOperation;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.quantize.QuantizeOperation;
import org.int8workbench.testing.BundleClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UI's architecture, checked on its compiled classes with ArchUnit: it runs the core's optimize pipeline instead of
 * putting the steps together itself, and it needs nothing of the command line.
 */
class ArchitectureTest {
    private static JavaClasses ui;

    /** The UI's classes, read from where the running UI bundle was loaded (its class folder or its jar). */
    @BeforeAll
    static void importClasses() {
        ui = BundleClasses.of(Activator.class);
        assertTrue(ui.size() > 30, "expected the UI's classes, found " + ui.size());
    }

    /** Quantize, cut the head, benchmark and evaluate are steps of the core's pipeline: the UI starts none of them. */
    @Test
    void theUiRunsThePipelineNotItsSteps() {
        noClasses().that().resideInAPackage("org.int8workbench.ui..").should()
                .callConstructorWhere(targetOwner(belongToAnyOf(QuantizeOperation.class, CutHeadOperation.class,
                        BenchmarkOperation.class, EvaluateOperation.class)))
                .check(ui);
    }

    @Test
    void theUiNeedsNoCommandLine() {
        noClasses().that().resideInAPackage("org.int8workbench.ui..").should().dependOnClassesThat()
                .resideInAnyPackage("org.int8workbench.cli..", "picocli..").check(ui);
    }
}
