package org.int8workbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.junit.jupiter.api.Test;

/** The Error Log guard is on for every workbench test and catches what a bundle logs. */
class ErrorLogGuardTest {

    @Test
    void isRegisteredForEveryTestByAutoDetection() {
        assertNotNull(ErrorLogGuard.currentTest(), "ErrorLogGuard is not registered: check META-INF/services and "
                + "junit.jupiter.extensions.autodetection.enabled");
    }

    @Test
    void failsOnAnErrorOrWarningAndPrintsIt() {
        ILog log = ILog.of(ErrorLogGuardTest.class);
        log.log(Status.info("an info is fine"));
        ErrorLogGuard.check("after an info");

        log.log(new Status(IStatus.WARNING, "org.int8workbench.ui.tests", "a warning on purpose"));
        log.log(new Status(IStatus.ERROR, "org.int8workbench.ui.tests", "an error on purpose", new IllegalStateException("boom")));
        AssertionError e = assertThrows(AssertionError.class, () -> ErrorLogGuard.check("in the guard's test"));
        assertTrue(e.getMessage().startsWith("2 ERROR/WARNING entries in the Error Log in the guard's test:"), e.getMessage());
        assertTrue(e.getMessage().contains("WARNING org.int8workbench.ui.tests: a warning on purpose"), e.getMessage());
        assertTrue(e.getMessage().contains("ERROR org.int8workbench.ui.tests: an error on purpose"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.IllegalStateException: boom"), e.getMessage());
        assertEquals(List.of(), ErrorLogGuard.drain(), "a check forgets what it reported");
    }
}
