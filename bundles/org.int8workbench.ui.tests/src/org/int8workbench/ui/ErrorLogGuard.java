package org.int8workbench.ui;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Error Log assertion of every workbench test: listens to the platform log ({@link Platform#addLogListener}) and
 * fails a test when any bundle logged an ERROR or a WARNING since the previous check (during the test, its
 * {@code @BeforeEach}/{@code @AfterEach}, or between tests: a job that logs after its test ended fails the next one,
 * nothing is lost). The failure message prints each entry with its plug-in, message and stack.
 * <p>
 * Registered for every test of this bundle by JUnit's extension auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension} and
 * {@code junit.jupiter.extensions.autodetection.enabled=true}, set in the pom); {@code @ExtendWith(ErrorLogGuard.class)}
 * works as well. A test that logs on purpose takes its entries with {@link #drain()} before it ends.
 */
public final class ErrorLogGuard implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** One logged entry. */
    public record Entry(String plugin, IStatus status) {
        @Override
        public String toString() {
            StringWriter out = new StringWriter();
            PrintWriter w = new PrintWriter(out);
            print(w, "", status);
            w.flush();
            return "[" + plugin + "] " + out.toString().strip();
        }

        private static String severity(IStatus s) {
            return switch (s.getSeverity()) {
                case IStatus.ERROR -> "ERROR";
                case IStatus.WARNING -> "WARNING";
                case IStatus.INFO -> "INFO";
                case IStatus.CANCEL -> "CANCEL";
                default -> "OK";
            };
        }

        private static void print(PrintWriter w, String indent, IStatus s) {
            w.println(indent + severity(s) + " " + s.getPlugin() + ": " + s.getMessage());
            if (s.getException() != null) {
                s.getException().printStackTrace(w);
            }
            for (IStatus child : s.getChildren()) {
                print(w, indent + "  ", child);
            }
        }
    }

    /**
     * Platform noise that is proven not ours, each with the reason; keep it narrow (match the plug-in and the message).
     */
    private static final List<Predicate<Entry>> ALLOWED = List.of(
            // The test runtime has no org.eclipse.ui.themes (adding it needs the Batik bundles the product lists by
            // hand); the product includes it and its IDE run logs no such warning.
            e -> e.plugin().equals("org.eclipse.e4.ui.css.swt.theme") && e.status().getSeverity() == IStatus.WARNING
                    && e.status().getMessage().startsWith("Theme 'org.eclipse.e4.ui.css.theme.e4_default' not found"));

    private static final List<Entry> LOGGED = new ArrayList<>();
    private static final ILogListener LISTENER = (status, plugin) -> {
        if (status.matches(IStatus.ERROR | IStatus.WARNING)) {
            Entry e = new Entry(plugin, status);
            if (ALLOWED.stream().noneMatch(a -> a.test(e))) {
                synchronized (LOGGED) {
                    LOGGED.add(e);
                }
            }
        }
    };
    private static boolean installed;
    private static volatile String current;

    /**
     * Installs the log listener once for the whole test run. What was logged before (while the workbench started) is
     * read from the log file, so it fails the first test too.
     */
    public static synchronized void install() {
        if (!installed) {
            Platform.addLogListener(LISTENER);
            installed = true;
            for (Entry e : startupEntries()) {
                LISTENER.logging(e.status(), e.plugin());
            }
        }
    }

    /** The ERROR and WARNING entries of the platform's log file ({@code !ENTRY plugin severity code date}). */
    private static List<Entry> startupEntries() {
        List<Entry> out = new ArrayList<>();
        org.eclipse.core.runtime.IPath location = Platform.getLogFileLocation();
        java.nio.file.Path file = location == null ? null : location.toPath();
        if (file == null || !java.nio.file.Files.isRegularFile(file)) {
            return out;
        }
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return out;
        }
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(" ");
            if (f.length >= 3 && f[0].equals("!ENTRY") && (f[2].equals("2") || f[2].equals("4"))) {
                String message = i + 1 < lines.size() && lines.get(i + 1).startsWith("!MESSAGE ")
                        ? lines.get(i + 1).substring("!MESSAGE ".length()) : "";
                int severity = f[2].equals("4") ? IStatus.ERROR : IStatus.WARNING;
                out.add(new Entry(f[1], new org.eclipse.core.runtime.Status(severity, f[1],
                        message + " (logged while the workbench started; the stack is in " + file + ")")));
            }
        }
        return out;
    }

    /** The display name of the test running under the guard, or null when none is (for the guard's own test). */
    public static String currentTest() {
        return current;
    }

    /** Returns and forgets the ERROR and WARNING entries logged since the previous check. */
    public static List<Entry> drain() {
        synchronized (LOGGED) {
            List<Entry> copy = List.copyOf(LOGGED);
            LOGGED.clear();
            return copy;
        }
    }

    /**
     * For a test that makes a bundle log on purpose: waits up to {@code seconds} for the ERROR or WARNING entry whose
     * message contains {@code fragment} (jobs log when they end, after join returns), takes it out of what the guard
     * checks and returns it; fails when it does not come. Other entries still fail the test.
     */
    public static Entry expect(String fragment, int seconds) {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            synchronized (LOGGED) {
                for (java.util.Iterator<Entry> i = LOGGED.iterator(); i.hasNext();) {
                    Entry e = i.next();
                    if (e.status().getMessage() != null && e.status().getMessage().contains(fragment)) {
                        i.remove();
                        return e;
                    }
                }
            }
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("no entry containing \"" + fragment + "\" was logged within " + seconds + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the log", e);
            }
        }
    }

    /** Fails (an AssertionError listing them) when ERROR or WARNING entries were logged since the previous check. */
    public static void check(String when) {
        List<Entry> entries = drain();
        if (!entries.isEmpty()) {
            StringBuilder b = new StringBuilder(entries.size() + " ERROR/WARNING entries in the Error Log " + when + ":");
            for (Entry e : entries) {
                b.append("\n").append(e);
            }
            throw new AssertionError(b.toString());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        install();
        current = context.getDisplayName();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        current = null;
        check("before or during " + context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        install();
        check("after the tests of " + context.getRequiredTestClass().getSimpleName());
    }
}
