package org.int8workbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.int8workbench.ui.OptimizeSettings.DataKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run in the IDE that removes a killed run's hidden leftovers says so in the Error Log as an INFO entry (the line
 * the command line prints), not as a warning: here the settings file the wizard's run remembers, beside a leftover of
 * a process that has ended.
 */
class SweepNoticeTest {
    @RegisterExtension
    final TestProjects projects = new TestProjects();

    @Test
    void removedLeftoversAreLoggedAsInfo() throws Exception {
        IProject project = projects.create("sweep-notice");
        Path dir = project.getLocation().toFile().toPath();
        Path model = dir.resolve("m.onnx");
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long dead = p.pid();
        Path leftover = Files.write(dir.resolve(".m.optimize.json.part-" + dead + "-abc"), new byte[] {1});
        OptimizeSettings s = new OptimizeSettings(DataKind.GENERATED, "", "", 8,
                org.int8workbench.core.dataset.Preprocessing.defaults(64, 64, org.int8workbench.core.dataset.Preprocessing.Layout.NCHW),
                "performance", "minmax", true, List.of(), true, true, "latency", 1, 0, true, 0);
        List<IStatus> logged = new ArrayList<>();
        ILogListener listener = (status, plugin) -> {
            synchronized (logged) {
                logged.add(status);
            }
        };
        Platform.addLogListener(listener);
        try {
            s.remember(model);
        } finally {
            Platform.removeLogListener(listener);
        }
        assertFalse(Files.exists(leftover), "the leftover is gone");
        assertTrue(Files.isRegularFile(dir.resolve("m.optimize.json")));
        List<IStatus> notices;
        synchronized (logged) {
            notices = logged.stream().filter(x -> x.getMessage().contains("hidden temporar")).toList();
        }
        assertEquals(1, notices.size(), logged.toString());
        assertEquals(IStatus.INFO, notices.get(0).getSeverity());
        assertEquals(Activator.PLUGIN_ID, notices.get(0).getPlugin());
        assertEquals("removed 1 hidden temporary of m.optimize.json left by a stopped run (process " + dead + ", no longer running): "
                + ".m.optimize.json.part-" + dead + "-abc", notices.get(0).getMessage());
    }
}
