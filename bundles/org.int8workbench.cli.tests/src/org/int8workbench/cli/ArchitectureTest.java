package org.int8workbench.cli;

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
 * The command line's architecture, checked on its compiled classes with ArchUnit: {@code optimize} and {@code demo} run
 * the core's optimize pipeline instead of putting its steps together themselves (the single-step commands
 * {@code benchmark} and {@code evaluate} run their one operation).
 */
class ArchitectureTest {
    private static JavaClasses cli;

    /** The command line's classes, read from where the running bundle was loaded (its class folder or its jar). */
    @BeforeAll
    static void importClasses() {
        cli = BundleClasses.of(Main.class);
        assertTrue(cli.size() > 10, "expected the command line's classes, found " + cli.size());
    }

    /** They may read the steps' result records (e.g. the head-cut result), but start no step themselves. */
    @Test
    void optimizeAndDemoRunThePipelineNotItsSteps() {
        noClasses().that().belongToAnyOf(OptimizeCommand.class, DemoCommand.class).should()
                .callConstructorWhere(targetOwner(belongToAnyOf(QuantizeOperation.class, CutHeadOperation.class,
                        BenchmarkOperation.class, EvaluateOperation.class)))
                .check(cli);
    }
}
