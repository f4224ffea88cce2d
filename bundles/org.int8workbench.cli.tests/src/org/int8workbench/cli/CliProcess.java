package org.int8workbench.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Starts {@code int8wb} as its own process, on the classpath the product's launcher uses (the same bundles: cli, core, the sample,
 * ONNX Runtime, protobuf, ONNX protos, gson, picocli, jmustache, equinox common, OSGi), taken from where the test
 * runtime loaded them.
 */
final class CliProcess {
    private CliProcess() {
    }

    /** The launcher's classpath, from the code source of one class of each bundle. */
    static String classpath() throws Exception {
        Set<String> parts = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {Main.class, org.int8workbench.core.CoreStatus.class, ai.onnxruntime.OrtEnvironment.class,
                ai.onnx.proto.OnnxMl.class, com.google.protobuf.Message.class, com.google.gson.Gson.class, picocli.CommandLine.class,
                com.samskivert.mustache.Mustache.class, org.eclipse.core.runtime.IProgressMonitor.class, org.osgi.framework.Bundle.class,
                org.int8workbench.sample.EmbeddedSample.class}) {
            parts.add(location(c));
        }
        return String.join(File.pathSeparator, parts);
    }

    private static String location(Class<?> c) throws URISyntaxException {
        var src = c.getProtectionDomain().getCodeSource();
        if (src == null || src.getLocation() == null) {
            throw new IllegalStateException("no code source for " + c.getName());
        }
        Path p = Path.of(src.getLocation().toURI());
        // a bundle from the reactor may be its project folder: its classes are in target/classes
        if (Files.isDirectory(p) && !Files.exists(p.resolve(c.getName().replace('.', '/') + ".class"))
                && Files.isDirectory(p.resolve("target/classes"))) {
            p = p.resolve("target/classes");
        }
        return p.toString();
    }

    /** Starts {@code int8wb ARGS} with standard output and error to files in {@code logs}. */
    static Process start(Path workdir, Path logs, String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx2g", "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-cp", classpath(), Main.class.getName()));
        cmd.addAll(List.of(args));
        Files.createDirectories(logs);
        return new ProcessBuilder(cmd).directory(workdir.toFile()).redirectOutput(logs.resolve("stdout.txt").toFile())
                .redirectError(logs.resolve("stderr.txt").toFile()).start();
    }

    /** Sends SIGINT (as Ctrl-C does) to {@code p}. */
    static void interrupt(Process p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -INT " + p.pid() + " failed");
        }
    }
}
