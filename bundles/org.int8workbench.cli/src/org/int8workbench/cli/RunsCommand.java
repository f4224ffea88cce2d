package org.int8workbench.cli;

import static org.int8workbench.core.runs.RunColumns.decimal;
import static org.int8workbench.core.runs.RunColumns.percent;
import static org.int8workbench.core.runs.RunColumns.points;
import static org.int8workbench.core.runs.RunColumns.ratio;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.report.BenchmarkModelResult;
import org.int8workbench.core.runs.CompareRunsOperation;
import org.int8workbench.core.runs.RunColumns;
import org.int8workbench.core.runs.RunComparison;
import org.int8workbench.core.runs.RunHistory;
import org.int8workbench.core.runs.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code int8wb runs MODEL}: the remembered optimizations of a model ({@link RunHistory}), newest first; with
 * {@code --compare ID ID...} the chosen runs' models measured side by side in one interleaved benchmark with the parent
 * (and evaluated against it on {@code --dataset}) by {@link CompareRunsOperation}.
 */
@Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the remembered optimizations of a model (every 'optimize' and every Optimize in the workbench is "
                + "remembered with its settings, speedup and accuracy, its INT8 models kept in .int8workbench/runs/ beside the model).",
            "--compare ID ID... benchmarks the parent and the chosen runs' models in one interleaved run and, with --dataset, "
                + "evaluates each against the parent; the figures are printed side by side."})
public final class RunsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The FP32 parent model whose runs to list.")
    Path model;

    @Option(names = "--in", paramLabel = "DIR",
            description = "The folder the runs' INT8 models were written to, when 'optimize --output' put them elsewhere than beside MODEL "
                    + "(the runs are then remembered there).")
    Path in;

    @Option(names = "--compare", paramLabel = "ID", arity = "1..*", description = "Compare these runs (ids as listed).")
    List<String> compare = new ArrayList<>();

    @Option(names = "--dataset", paramLabel = "PATH", description = "With --compare: evaluate each run's model against the parent on this dataset.")
    Path dataset;

    @Option(names = "--split", paramLabel = "NAME", description = "Pascal VOC split of --dataset (default: val).")
    String split;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Evaluate only the first N images (0: all).")
    int limit;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "latency",
            description = "Benchmark mode of --compare: latency or throughput (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "20", description = "Total timed seconds of the benchmark (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Interleaved rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads per session (default: automatic).")
    Integer threads;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Where --compare writes comparison.json, the benchmark report and the accuracy reports "
                    + "(default: a new folder in .int8workbench/comparisons/ beside the model).")
    Path report;

    @Option(names = "--delete", paramLabel = "ID", description = "Forget this run (deletes its folder and its model copies).")
    String delete;

    @Mixin
    OutputOptions outputOptions = new OutputOptions();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the runs (or the comparison) as JSON ('-' for standard output).")
    Path json;

    @Option(names = "--force", description = "Replace an existing JSON file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        CliSupport.requireModels(model);
        Checks.atLeast("--rounds", rounds, 1);
        Checks.positive("--seconds", seconds, "seconds");
        Checks.atLeast("--threads", threads, 1);
        Checks.atLeast("--limit", limit, 0);
        // the output policy before any work: no output is an input
        org.int8workbench.core.OutputPolicy inputs = org.int8workbench.core.OutputPolicy.inputs().model(model).folder(dataset);
        CliSupport.refuseExistingJson(json, force, inputs);
        inputs.checkFolderNotInput(report);
        RunHistory history = in == null ? RunHistory.besideModels() : RunHistory.in(in);
        boolean quiet = json != null && json.toString().equals("-");
        if (delete != null) {
            history.delete(model, delete);
            if (!quiet) {
                System.out.println("forgot run " + delete + " of " + model.getFileName());
            }
        }
        RunHistory.Listing listing = history.list(model);
        listing.warnings().forEach(w -> System.err.println("int8wb: warning: " + w));
        if (compare.isEmpty()) {
            if (!quiet) {
                System.out.print(table(listing, history.folder(model)));
            }
            CliSupport.writeJson(json, listing.runs().stream().map(RunHistory.Run::record).toList(), force);
            return 0;
        }
        List<RunHistory.Run> chosen = new ArrayList<>();
        for (String id : compare) {
            RunHistory.Run r = listing.find(id);
            if (r == null) {
                throw new IllegalArgumentException("no run " + id + " of " + model.getFileName() + "; 'int8wb runs " + model
                        + "' lists them");
            }
            chosen.add(r);
        }
        if (dataset != null && !Files.exists(dataset)) {
            throw new NoSuchFileException(dataset.toString());
        }
        CompareRunsOperation op = new CompareRunsOperation(model, chosen)
                .mode(Checks.parsed("--mode", mode, Mode::parse, "latency or throughput")).seconds(seconds).rounds(rounds)
                .threads(threads).outputs(outputOptions.selection()).limit(limit)
                .output(report != null ? report : history.comparisonFolder(model));
        if (dataset != null) {
            op.dataset(Datasets.open(dataset, split));
        }
        RunComparison c = op.run(new ConsoleProgress());
        if (!quiet) {
            System.out.print(sideBySide(c));
            System.out.println("wrote " + (report != null ? report.toAbsolutePath().normalize() : Path.of(c.benchmarkFile()).getParent().getParent()));
        }
        CliSupport.writeJson(json, c, force);
        return 0;
    }

    /** The runs as a table, newest first. */
    static String table(RunHistory.Listing listing, Path folder) {
        StringBuilder b = new StringBuilder();
        if (listing.runs().isEmpty()) {
            b.append("no runs remembered in ").append(folder).append('\n');
            return b.toString();
        }
        b.append(listing.runs().size()).append(listing.runs().size() == 1 ? " run" : " runs").append(" in ").append(folder)
                .append(", newest first\n");
        String fmt = "%-21s %-20s %-28s %6s %10s %10s %10s %10s%n";
        b.append(String.format(Locale.ROOT, fmt, "id", "time", "method / preset / range", "float", "throughput", "latency",
                "agreement", "mIoU drop"));
        for (RunHistory.Run run : listing.runs()) {
            RunRecord r = run.record();
            b.append(String.format(Locale.ROOT, fmt, r.id(), RunColumns.time(r), r.describeSettings(), r.keptInFloat(),
                    dash(ratio(RunColumns.speedup(r, true))), dash(ratio(RunColumns.speedup(r, false))),
                    dash(percent(RunColumns.agreement(r))), dash(points(RunColumns.drop(r)))));
        }
        if (listing.runs().stream().anyMatch(r -> r.record().speed() == null || r.record().accuracy() == null)) {
            b.append("(- not measured: 'optimize' records no speed or accuracy; the workbench's Optimize does, and --compare measures both)\n");
        }
        return b.toString();
    }

    /** The comparison with one column per model: the parent, then each run. */
    static String sideBySide(RunComparison c) {
        List<String> head = new ArrayList<>();
        head.add("parent");
        c.columns().forEach(col -> head.add(col.id()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("", head));
        rows.add(row("settings", cells(c, "", RunComparison.Column::label)));
        rows.add(row("kept in float", cells(c, "", col -> Integer.toString(col.run().keptInFloat()))));
        List<BenchmarkModelResult> models = c.benchmark().models();
        String unit = "throughput".equalsIgnoreCase(c.benchmark().settings().mode()) ? "images/s" : "images/s (latency mode)";
        List<String> fps = new ArrayList<>();
        List<String> e2e = new ArrayList<>();
        for (BenchmarkModelResult m : models) {
            fps.add(String.format(Locale.ROOT, "%.1f", m.fps()));
            e2e.add(m.endToEnd() == null ? "" : String.format(Locale.ROOT, "%.1f", m.endToEnd().fps()));
        }
        rows.add(row(unit + ", model only", fps));
        rows.add(row("speedup, model only", cells(c, "1.00x", col -> speedup(c, col, false))));
        rows.add(row(unit + ", end to end", e2e));
        rows.add(row("speedup, end to end", cells(c, "1.00x", col -> speedup(c, col, true))));
        rows.add(row("recorded: throughput", cells(c, "", col -> ratio(RunColumns.speedup(col.run(), true)))));
        rows.add(row("recorded: latency", cells(c, "", col -> ratio(RunColumns.speedup(col.run(), false)))));
        if (c.dataset() != null) {
            RunRecord.Accuracy first = c.columns().get(0).accuracy();
            rows.add(row("pixel agreement", cells(c, "100.00%", col -> percent(col.accuracy().pixelAgreement()))));
            rows.add(row("mean IoU vs parent", cells(c, "1.0000", col -> decimal(col.accuracy().agreementMeanIoU()))));
            if (first.hasMasks()) {
                rows.add(row("mean IoU", cells(c, decimal(first.parentMeanIoU()), col -> decimal(col.accuracy().meanIoU()))));
                rows.add(row("mIoU drop (points)", cells(c, "", col -> points(col.accuracy().meanIoUDrop()))));
            }
        }
        rows.add(row("recorded: agreement", cells(c, "", col -> percent(RunColumns.agreement(col.run())))));
        rows.add(row("recorded: mIoU drop", cells(c, "", col -> points(RunColumns.drop(col.run())))));
        // figures no run has (e.g. a recorded speedup of runs made without a benchmark) are left out
        rows.removeIf(r -> !r.get(0).isEmpty() && r.subList(2, r.size()).stream().allMatch(String::isBlank));
        int first = rows.stream().mapToInt(r -> r.get(0).length()).max().orElse(0);
        int[] width = new int[head.size()];
        for (List<String> r : rows) {
            for (int i = 1; i < r.size(); i++) {
                width[i - 1] = Math.max(width[i - 1], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("parent ").append(c.parent()).append('\n');
        if (c.dataset() != null) {
            b.append("evaluated on ").append(c.dataset()).append('\n');
        }
        b.append("benchmark: ").append(c.benchmark().settings().mode()).append(" mode, ").append(c.benchmark().settings().rounds())
                .append(" interleaved rounds, ").append(c.benchmark().settings().input()).append('\n');
        for (List<String> r : rows) {
            b.append(String.format(Locale.ROOT, "%-" + first + "s", r.get(0)));
            for (int i = 1; i < r.size(); i++) {
                b.append("  ").append(String.format(Locale.ROOT, "%" + width[i - 1] + "s", r.get(i)));
            }
            b.append('\n');
        }
        c.notes().forEach(n -> b.append("note: ").append(n).append('\n'));
        return b.toString();
    }

    private static String speedup(RunComparison c, RunComparison.Column col, boolean endToEnd) {
        RunRecord.Speed s = col.speed();
        if (s == null) {
            return "";
        }
        boolean throughput = "throughput".equalsIgnoreCase(c.benchmark().settings().mode());
        return ratio(endToEnd ? (throughput ? s.endToEndThroughput() : s.endToEndLatency()) : (throughput ? s.throughput() : s.latency()));
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    private static List<String> row(String label, List<String> cells) {
        List<String> r = new ArrayList<>();
        r.add(label);
        r.addAll(cells);
        return r;
    }

    private static List<String> cells(RunComparison c, String parent, Function<RunComparison.Column, String> f) {
        List<String> r = new ArrayList<>();
        r.add(parent);
        c.columns().forEach(col -> r.add(f.apply(col)));
        return r;
    }

}
