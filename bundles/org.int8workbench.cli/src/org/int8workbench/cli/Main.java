package org.int8workbench.cli;

import java.io.PrintWriter;
import org.int8workbench.core.CpuInfo;
import org.int8workbench.core.Ort;
import org.int8workbench.core.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of INT8 Workbench ({@code ./int8wb}). Each subcommand calls one core operation and prints
 * its result; {@code --json FILE} writes the result record for scripts.
 */
@Command(name = "int8wb", mixinStandardHelpOptions = true, versionProvider = Main.VersionInfo.class,
        description = "Turns an ONNX segmentation model into a faster INT8 model and shows what was gained and lost.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        // leftovers of a killed run that this run removes are said in one line (System.err as it is when said)
        org.int8workbench.core.Temporaries.onSweep(line -> System.err.println("int8wb: " + line));
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // the heap was too small for what was asked: one line, and what to do (the work is abandoned)
            cl.getErr().println("int8wb: out of memory (Java heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB); give the JVM"
                    + " more with INT8WB_JAVA_OPTS=-Xmx16g, or use fewer or smaller inputs");
            if (java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(cl.getErr());
            }
            return 1;
        } catch (StackOverflowError e) {
            cl.getErr().println("int8wb: the input is nested too deeply to process (stack overflow)");
            if (java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(cl.getErr());
            }
            return 1;
        }
    }

    /** The configured command line, with every subcommand. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object sub : Commands.all()) {
            cl.addSubcommand(sub);
        }
        cl.setExecutionExceptionHandler(Main::handleError);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("int8wb: " + ex.getMessage());
            err.println("Try 'int8wb " + ex.getCommandLine().getCommandName() + " --help'.");
            return 2;
        });
        return cl;
    }

    private static int handleError(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = parsed.matchedOption("--verbose") != null
                || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose"));
        if (ex instanceof org.eclipse.core.runtime.OperationCanceledException) {
            err.println("int8wb: cancelled; nothing was written.");
            return 130;
        }
        err.println("int8wb: " + CliSupport.describe(ex));
        if (verbose) {
            ex.printStackTrace(err);
        }
        return 1;
    }

    /** {@code --version}: product, ONNX Runtime and the CPU's INT8-relevant instruction sets. */
    public static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            CpuInfo cpu = CpuInfo.current();
            return new String[] {"INT8 Workbench " + Version.PRODUCT, "ONNX Runtime " + Ort.version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                "CPU: " + cpu.modelName() + ", " + cpu.logicalCores() + " logical cores",
                "INT8 instruction sets: " + (cpu.isaFlags().isEmpty() ? "none of AVX2, AVX-512, VNNI, AMX" : String.join(", ", cpu.isaFlags()))
                    + (cpu.hasVnni() ? "" : " (no VNNI: INT8 speedups will be smaller)")};
        }
    }
}
