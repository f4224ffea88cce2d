package org.int8workbench.cli;

import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.int8workbench.core.OutputPolicy;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.onnx.OrtOptimizedGraph;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.report.BenchmarkComparison;
import org.int8workbench.core.report.BenchmarkModelResult;
import org.int8workbench.core.report.BenchmarkOpTime;
import org.int8workbench.core.report.BenchmarkProfile;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.report.BenchmarkResult;
import org.int8workbench.core.report.BenchmarkSpread;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code int8wb benchmark MODEL [OTHER_MODEL...]}: CPU throughput and latency of a model, or of several models
 * interleaved in rounds with the speedup of each other model over the first ({@link BenchmarkOperation}); the
 * result as a table, as JSON ({@code --json}) and as an HTML/CSV/JSON report folder ({@code --report},
 * {@link BenchmarkReportWriter}).
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures CPU throughput and latency with ONNX Runtime, model-only and end to end (run + label map; "
            + "the exact label head for models cut before their upsampling).",
            "With several models they alternate in rounds (A B C A B C ...) and the speedup of each OTHER_MODEL over MODEL "
                    + "is given with its spread over the rounds."})
public final class BenchmarkCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model (e.g. the FP32 parent).")
    Path model;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "OTHER_MODEL",
            description = "Models to compare with MODEL (e.g. the INT8 model and the INT8 model cut before its head).")
    List<Path> others = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "latency",
            description = "latency (one request at a time) or throughput (several in flight). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--seconds", paramLabel = "S", description = "Total timed duration over all rounds and models (default: 20).")
    Double seconds;

    @Option(names = "--iterations", paramLabel = "N", description = "Timed requests per model and measurement instead of a duration.")
    Long iterations;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Warm-up requests per model, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--streams", paramLabel = "N", description = "Concurrent requests in throughput mode (default: automatic).")
    Integer streams;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads per session (default: fill the cores).")
    Integer threads;

    @Option(names = "--inter-op-threads", paramLabel = "N", defaultValue = "0", description = "Inter-op threads (default: ONNX Runtime's).")
    int interOpThreads;

    @Option(names = "--execution-mode", paramLabel = "MODE", defaultValue = "sequential", description = "sequential or parallel (default: ${DEFAULT-VALUE}).")
    String executionMode;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Images per request where the model's batch axis is dynamic (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--dataset", paramLabel = "PATH", description = "Feed real preprocessed images from this dataset (default: seeded random input).")
    Path dataset;

    @Option(names = "--opt-level", paramLabel = "LEVEL", defaultValue = "all", description = "Graph optimization: all, extended, basic or none (default: ${DEFAULT-VALUE}).")
    String optLevel;

    @Option(names = "--no-end-to-end", negatable = false, description = "Skip the end-to-end (run + label map) measurement.")
    boolean noEndToEnd;

    @Option(names = "--profile", description = "Profile each model afterwards: time per operator type (why isn't INT8 faster?).")
    boolean profile;

    @Mixin
    PreprocessingOptions preprocessing;

    @Mixin
    OutputOptions outputOptions = new OutputOptions();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON ('-' for standard output).")
    Path json;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write " + BenchmarkReportWriter.JSON + ", " + BenchmarkReportWriter.HTML + " and " + BenchmarkReportWriter.CSV
                    + " into this folder.")
    Path report;

    @Option(names = "--force", description = "Replace an existing --json file or report files.")
    boolean force;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CliSupport.requireModels(model);
        CliSupport.requireModels(others.toArray(Path[]::new));
        Checks.atLeast("--rounds", rounds, 1);
        Checks.atLeast("--warmup", warmup, 0);
        Checks.atLeast("--streams", streams, 1);
        Checks.atLeast("--threads", threads, 1);
        Checks.atLeast("--inter-op-threads", interOpThreads, 0);
        Checks.atLeast("--batch", batch, 1);
        Checks.atLeast("--iterations", iterations, 1);
        Checks.positive("--seconds", seconds, "seconds");
        // the output policy before any work: no output is an input, and only what the tool wrote is replaced
        OutputPolicy inputs = OutputPolicy.inputs().model(model).models(others).folder(dataset);
        if (report != null) {
            inputs.checkReportFiles(report, force, BenchmarkReportWriter.JSON, BenchmarkReportWriter.HTML, BenchmarkReportWriter.CSV);
            if (!force) {
                BenchmarkReportWriter.checkWritable(report, false);
            }
        }
        CliSupport.refuseExistingJson(json, force, inputs);
        var selection = outputOptions.selection();
        BenchmarkOperation op = new BenchmarkOperation(model).others(others).mode(Checks.parsed("--mode", mode, Mode::parse, "latency or throughput"))
                .rounds(rounds).warmup(warmup).streams(streams).threads(threads).interOpThreads(interOpThreads).batch(batch)
                .executionMode(Checks.parsed("--execution-mode", executionMode, m -> ExecutionMode.valueOf(m.trim().toUpperCase(Locale.ROOT)),
                        "sequential or parallel"))
                .optimizationLevel(Checks.parsed("--opt-level", optLevel, BenchmarkOperation::parseOptLevel, "all, extended, basic or none"))
                .endToEnd(!noEndToEnd).profile(profile);
        op.outputs(selection);
        if (iterations != null && seconds != null) {
            throw new IllegalArgumentException("give --seconds or --iterations, not both");
        }
        if (iterations != null) {
            op.iterations(iterations);
        } else if (seconds != null) {
            op.seconds(seconds);
        }
        // end-to-end requests read label maps: a model without per-pixel outputs (a classifier) is refused before any work
        preprocessing.readsLabels = !noEndToEnd;
        preprocessing.labelsHint = "to time it without label maps, add --no-end-to-end";
        if (!noEndToEnd && dataset == null && !preprocessing.given()) {
            PreprocessingOptions.requireSegmentation(model, preprocessing.labelsHint);
            for (Path o : others) {
                PreprocessingOptions.requireSegmentation(o, preprocessing.labelsHint);
            }
        }
        if (dataset != null || preprocessing.given()) {
            List<Preprocessing> pre = new ArrayList<>();
            pre.add(preprocessing.resolve(model));
            for (Path o : others) {
                pre.add(preprocessing.resolve(o));
            }
            op.preprocessing(pre);
            if (dataset != null) {
                SegmentationDataset d = Datasets.open(dataset);
                op.dataset(d);
            }
        }
        BenchmarkResult r = op.run(new ConsoleProgress());
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        print(r, out);
        out.flush();
        CliSupport.writeJson(json, r, force);
        if (report != null) {
            BenchmarkReportWriter.writeFiles(r, report, force);
            out.println("Report: " + report.resolve(BenchmarkReportWriter.HTML).toAbsolutePath());
            out.flush();
        }
        return 0;
    }

    /** Prints the result as a table. */
    static void print(BenchmarkResult r, PrintWriter out) {
        var s = r.settings();
        out.printf(Locale.ROOT, "Benchmark, %s mode: %d stream%s x %d intra-op thread%s, optimization %s, batch %d, %d rounds, %s%n",
                s.mode(), s.streams(), s.streams() == 1 ? "" : "s", s.intraOpThreads(), s.intraOpThreads() == 1 ? "" : "s",
                s.optimizationLevel(), s.batch(), s.rounds(),
                s.iterations() > 0 ? s.iterations() + " timed requests per model" : fmt(s.seconds()) + " s timed");
        out.println("Input: " + s.input());
        out.println("CPU: " + r.provenance().cpu().describe() + "; ONNX Runtime " + r.provenance().onnxRuntime());
        List<BenchmarkModelResult> ms = r.models();
        List<String> heads = new ArrayList<>();
        heads.add("");
        for (int i = 0; i < ms.size(); i++) {
            heads.add(BenchmarkReportWriter.label(r, i));
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(heads);
        rows.add(row(ms, "load + session (ms)", m -> fmt(m.loadMs())));
        rows.add(row(ms, "batch", m -> Integer.toString(m.batch())));
        rows.add(row(ms, "model-only images/s", m -> fmt(m.fps())));
        rows.add(row(ms, "latency mean (ms)", m -> fmt(m.latencyMs().mean())));
        rows.add(row(ms, "latency median (ms)", m -> fmt(m.latencyMs().median())));
        rows.add(row(ms, "latency p90 (ms)", m -> fmt(m.latencyMs().p90())));
        rows.add(row(ms, "latency p99 (ms)", m -> fmt(m.latencyMs().p99())));
        rows.add(row(ms, "latency min (ms)", m -> fmt(m.latencyMs().min())));
        rows.add(row(ms, "requests", m -> Long.toString(m.requests())));
        if (ms.get(0).endToEnd() != null) {
            rows.add(row(ms, "end-to-end labels/s", m -> fmt(m.endToEnd().fps())));
            rows.add(row(ms, "end-to-end median (ms)", m -> fmt(m.endToEnd().latencyMs().median())));
        }
        if (ms.stream().anyMatch(m -> m.optimizedGraph() != null)) {
            rows.add(row(ms, "integer / float nodes", m -> m.optimizedGraph() == null ? "-"
                    : m.optimizedGraph().integerNodes() + " / " + m.optimizedGraph().floatComputeNodes().size()));
        }
        if (!r.comparisons().isEmpty()) {
            rows.add(speedups(r, "speedup, model-only", BenchmarkComparison::speedup));
            rows.add(speedups(r, "speedup, median latency", BenchmarkComparison::latencySpeedup));
            if (ms.get(0).endToEnd() != null) {
                rows.add(speedups(r, "speedup, end to end", BenchmarkComparison::endToEndSpeedup));
            }
        }
        table(rows, out);
        if (!r.comparisons().isEmpty()) {
            out.println("Speedups are over A (" + Path.of(ms.get(0).path()).getFileName() + "): median (min–max) of the per-round ratios of "
                    + r.comparisons().get(0).speedup().perRound().size() + " rounds");
        }
        if (ms.get(0).endToEnd() != null) {
            for (int i = 0; i < ms.size(); i++) {
                out.println("End to end, " + BenchmarkReportWriter.label(r, i) + ": " + ms.get(i).endToEnd().decoder());
            }
        }
        for (int i = 0; i < ms.size(); i++) {
            BenchmarkModelResult m = ms.get(i);
            String name = BenchmarkReportWriter.label(r, i);
            BenchmarkProfile p = m.profile();
            if (p != null) {
                out.printf(Locale.ROOT, "Time per operator type, %s (profiled, %s ms kernel time per run; %.0f%% in float compute nodes):%n",
                        name, fmt(p.kernelMsPerRun()), 100 * p.floatComputeShare());
                for (BenchmarkOpTime t : p.opTypes().subList(0, Math.min(8, p.opTypes().size()))) {
                    out.printf(Locale.ROOT, "  %-26s %3d nodes %9s ms %5.1f%%%n", t.opType(), t.nodes(), fmt(t.msPerRun()), 100 * t.share());
                }
            }
            OrtOptimizedGraph g = m.optimizedGraph();
            if (g != null && g.integerNodes() > 0 && !g.floatComputeNodes().isEmpty()) {
                out.println("Float compute nodes left in " + name + " (" + g.floatComputeNodes().size() + "):");
                g.floatComputeNodes().stream().limit(10)
                        .forEach(f -> out.println("  " + (f.name().isEmpty() ? "(unnamed)" : f.name()) + " [" + f.opType() + "]: " + f.reason()));
                if (g.floatComputeNodes().size() > 10) {
                    out.println("  ... (all in --json and --report)");
                }
            }
        }
        for (String n : r.notes()) {
            out.println("Note: " + n);
        }
    }

    private static List<String> speedups(BenchmarkResult r, String label, Function<BenchmarkComparison, BenchmarkSpread> f) {
        List<String> row = new ArrayList<>();
        row.add(label);
        row.add("1 (base)");
        for (int i = 1; i < r.models().size(); i++) {
            BenchmarkComparison c = r.comparison(i);
            BenchmarkSpread s = c == null ? null : f.apply(c);
            row.add(s == null ? "-" : s.describe());
        }
        return row;
    }

    private static void table(List<List<String>> rows, PrintWriter out) {
        int[] width = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String c = row.get(i);
                b.append(i == 0 ? c + " ".repeat(width[0] - c.length()) : "  " + " ".repeat(width[i] - c.length()) + c);
            }
            out.println(b.toString().stripTrailing());
        }
    }

    private static List<String> row(List<BenchmarkModelResult> ms, String label, Function<BenchmarkModelResult, String> f) {
        List<String> row = new ArrayList<>();
        row.add(label);
        for (BenchmarkModelResult m : ms) {
            row.add(f.apply(m));
        }
        return row;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
