package org.int8workbench.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * A bundle's compiled classes for the architecture tests (ArchUnit), read from where the running bundle was loaded:
 * its class folder when it runs from a build, or its jar.
 */
public final class BundleClasses {
    private BundleClasses() {
    }

    /** Every class of the bundle that loaded {@code anchor} (a fragment's own classes are not included). */
    public static JavaClasses of(Class<?> anchor) {
        Path location;
        try {
            location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + anchor.getName(), e);
        }
        ClassFileImporter importer = new ClassFileImporter();
        if (Files.isDirectory(location)) {
            return importer.importPath(location);
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            return importer.importJar(jar);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundle " + location + " that holds " + anchor.getName(), e);
        }
    }
}
