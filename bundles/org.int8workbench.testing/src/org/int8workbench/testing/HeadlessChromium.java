package org.int8workbench.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for tests of the HTML reports: the DOM after the page's scripts ran, and PNG screenshots kept
 * under {@code target/screenshots/}. {@link #find()} fails the test under {@code CI=true} when Chromium is missing and
 * skips it otherwise. Each call runs a fresh browser with a throwaway profile.
 */
public final class HeadlessChromium {

    private final String executable;

    private HeadlessChromium(String executable) {
        this.executable = executable;
    }

    /** Chromium from {@code PATH} ({@code chromium}, {@code chromium-browser} or {@code google-chrome}). */
    public static HeadlessChromium find() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return new HeadlessChromium(p.toString());
                }
            }
        }
        String msg = "chromium not found on PATH (install the Debian package 'chromium')";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(msg);
        }
        Assumptions.abort(msg);
        return null;
    }

    /** The folder for screenshots kept as build artifacts: {@code target/screenshots/} (created). */
    public static Path screenshotDir() throws IOException {
        return Files.createDirectories(Path.of("target", "screenshots").toAbsolutePath());
    }

    /** The serialized DOM of {@code url} after its scripts ran. */
    public String dom(String url) throws Exception {
        return run(List.of("--dump-dom", url));
    }

    /** Writes a PNG screenshot of {@code url} at the given window size to {@code png} (replaced). */
    public void screenshot(String url, Path png, int width, int height) throws Exception {
        Files.deleteIfExists(png);
        run(List.of("--screenshot=" + png, "--window-size=" + width + "," + height, url));
        assertTrue(Files.isRegularFile(png), "screenshot written: " + png);
    }

    /** Runs Chromium with {@code args} after the headless options; returns its standard output. */
    String run(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory("int8wb-chromium");
        List<String> cmd = new ArrayList<>(List.of(executable, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path out = Files.createTempFile("int8wb-chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                fail("chromium did not finish within 90 s: " + cmd);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // chromium may still hold a file for a moment; the profile is in the temp folder
        }
    }
}
