package org.int8workbench.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's architecture, checked on its compiled classes with ArchUnit: no package depends on itself through
 * others (every package is its own slice, the root package included), the core needs no UI, workspace or command-line
 * library, and the label path stays at the bottom, usable by everything above it.
 */
class ArchitectureTest {
    private static JavaClasses core;

    /** The core's classes, read from where the running core bundle was loaded (its class folder or its jar). */
    @BeforeAll
    static void importCore() throws URISyntaxException {
        Path location = Path.of(Json.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ClassFileImporter importer = new ClassFileImporter();
        core = Files.isDirectory(location) ? importer.importPath(location) : importer.importJar(jar(location));
        assertTrue(core.size() > 100, "expected the core's classes at " + location + ", found " + core.size());
    }

    private static java.util.jar.JarFile jar(Path p) {
        try {
            return new java.util.jar.JarFile(p.toFile());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the core bundle " + p, e);
        }
    }

    /** Each Java package of the core is one slice. */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return c.getPackageName().startsWith("org.int8workbench.core") ? SliceIdentifier.of(c.getPackageName())
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "packages of org.int8workbench.core";
        }
    };

    @Test
    void noPackageCycles() {
        slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(core);
    }

    @Test
    void coreIsHeadlessAndNeedsNoCommandLineLibrary() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.swt..", "org.eclipse.jface..",
                "org.eclipse.ui..", "org.eclipse.e4.ui..", "org.eclipse.core.resources..", "picocli..", "org.int8workbench.cli..",
                "org.int8workbench.ui..").check(core);
    }

    @Test
    void labelPathIsAtTheBottom() {
        noClasses().that().resideInAPackage("org.int8workbench.core.labels..").should().dependOnClassesThat()
                .resideInAnyPackage("org.int8workbench.core.bench..", "org.int8workbench.core.metrics..",
                        "org.int8workbench.core.head..", "org.int8workbench.core.quantize..", "org.int8workbench.core.report..",
                        "org.int8workbench.core.render..", "org.int8workbench.core.codegen..", "org.int8workbench.core.pipeline..")
                .allowEmptyShould(true).check(core);
    }
}
