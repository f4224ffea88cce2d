package org.int8workbench.core.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.int8workbench.core.AtomicFolder;
import org.int8workbench.core.CoreStatus;
import org.int8workbench.core.Json;
import org.int8workbench.core.Sha256;
import org.int8workbench.core.bench.BenchmarkOperation;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.labels.OutputSelection;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.report.AccuracyReport;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.int8workbench.core.report.BenchmarkReportWriter;
import org.int8workbench.core.report.BenchmarkResult;

/**
 * Measures remembered runs of one parent side by side: one interleaved benchmark of the parent and every run's
 * measured model (its kept copy), so every speedup is against the same parent in the same run of the machine; and,
 * when a dataset is given, each run's model evaluated against the parent on it.
 *
 * <pre>{@code
 * RunComparison c = new CompareRunsOperation(parent, List.of(a, b)).seconds(10).dataset(voc).limit(20)
 *         .output(history.comparisonFolder(parent)).run(monitor);
 * }</pre>
 */
public final class CompareRunsOperation {
    private final Path parent;
    private final List<RunHistory.Run> runs;
    private Mode mode = Mode.THROUGHPUT;
    private double seconds = BenchmarkOperation.DEFAULT_SECONDS;
    private int rounds = 5;
    private Integer threads;
    private boolean endToEnd = true;
    private SegmentationDataset images;
    private SegmentationDataset dataset;
    private int limit;
    private OutputSelection outputs = OutputSelection.AUTO;
    private Path output;

    /** A comparison of {@code runs} (at least one) of {@code parent}. */
    public CompareRunsOperation(Path parent, List<RunHistory.Run> runs) {
        this.parent = Objects.requireNonNull(parent, "parent").toAbsolutePath().normalize();
        this.runs = List.copyOf(runs);
        if (this.runs.isEmpty()) {
            throw new IllegalArgumentException("choose at least one run to compare");
        }
    }

    /** The benchmark's mode (default: throughput). */
    public CompareRunsOperation mode(Mode m) {
        this.mode = Objects.requireNonNull(m, "mode");
        return this;
    }

    /** Total timed seconds of the benchmark. */
    public CompareRunsOperation seconds(double s) {
        this.seconds = s;
        return this;
    }

    /** Interleaved rounds of the benchmark. */
    public CompareRunsOperation rounds(int n) {
        this.rounds = n;
        return this;
    }

    /** Intra-op threads per session, {@code null} for automatic. */
    public CompareRunsOperation threads(Integer n) {
        this.threads = n;
        return this;
    }

    /** Whether the benchmark also times run plus label map (default: yes). */
    public CompareRunsOperation endToEnd(boolean on) {
        this.endToEnd = on;
        return this;
    }

    /** Images the benchmark times on; {@code null} (default) for seeded random inputs. */
    public CompareRunsOperation images(SegmentationDataset d) {
        this.images = d;
        return this;
    }

    /** Evaluates every run's model against the parent on {@code d}; {@code null} (default): no evaluation. */
    public CompareRunsOperation dataset(SegmentationDataset d) {
        this.dataset = d;
        return this;
    }

    /** Evaluates on the first {@code n} items only (0: all). */
    public CompareRunsOperation limit(int n) {
        this.limit = n;
        return this;
    }

    /** Which outputs are read, and as what. */
    public CompareRunsOperation outputs(OutputSelection s) {
        this.outputs = s == null ? OutputSelection.AUTO : s;
        return this;
    }

    /**
     * Writes the comparison into {@code folder} (which must not exist), all or nothing: {@code comparison.json},
     * {@code benchmark/benchmark.json} (and its HTML page) and, with a dataset, {@code ID.accuracy/} per run.
     */
    public CompareRunsOperation output(Path folder) {
        this.output = folder == null ? null : folder.toAbsolutePath().normalize();
        return this;
    }

    /**
     * Measures the runs.
     *
     * @throws CoreException when a model cannot be run or the outputs cannot be written
     */
    public RunComparison run(IProgressMonitor monitor) throws CoreException {
        if (!Files.isRegularFile(parent)) {
            throw CoreStatus.exception("no model at " + parent + "; the runs' parent is needed to compare them", null);
        }
        SubMonitor sub = SubMonitor.convert(monitor, "Comparing " + runs.size() + " runs of " + parent.getFileName(),
                50 + (dataset != null ? 50 : 0) + 2);
        try (AtomicFolder folder = output == null ? null : AtomicFolder.replace(output, false)) {
            String parentSha = Sha256.of(parent);
            List<String> notes = new ArrayList<>();
            List<Path> models = new ArrayList<>();
            models.add(parent);
            for (RunHistory.Run r : runs) {
                models.add(r.measured().toAbsolutePath().normalize());
                if (!parentSha.equals(r.record().parent().sha256())) {
                    notes.add("run " + r.id() + " was made from another version of " + parent.getFileName()
                            + " (SHA-256 then " + r.record().parent().sha256() + ")");
                }
            }
            Preprocessing pre = Preprocessing.recordedIn(runs.get(0).int8());

            sub.subTask("Benchmarking the parent and " + runs.size() + " models");
            BenchmarkOperation bench = new BenchmarkOperation(parent).others(models.subList(1, models.size())).mode(mode).seconds(seconds)
                    .rounds(rounds).threads(threads).endToEnd(endToEnd).outputs(outputs);
            if (images != null) {
                bench.dataset(images);
            }
            if (pre != null) {
                bench.preprocessing(pre);
            }
            BenchmarkResult benchmark = bench.run(sub.split(50));
            String benchmarkFile = null;
            if (folder != null) {
                BenchmarkReportWriter.writeFiles(benchmark, folder.path().resolve(RunComparison.BENCHMARK_DIR));
                benchmarkFile = output.resolve(RunComparison.BENCHMARK_DIR).resolve(BenchmarkReportWriter.JSON).toString();
            }

            List<RunComparison.Column> columns = new ArrayList<>();
            SubMonitor eval = dataset == null ? null : sub.split(50).setWorkRemaining(runs.size());
            for (int i = 0; i < runs.size(); i++) {
                RunHistory.Run r = runs.get(i);
                RunRecord.Speed speed = RunRecord.Speed.of(List.of(benchmark), parent.toString(), models.get(i + 1).toString());
                AccuracyReport accuracy = null;
                String report = null;
                if (dataset != null) {
                    sub.subTask("Evaluating run " + r.id() + " against the parent");
                    Path dir = folder == null ? null : folder.path().resolve(r.id() + ".accuracy");
                    EvaluateOperation ev = new EvaluateOperation().model(models.get(i + 1)).parent(parent).dataset(dataset).limit(limit)
                            .renderImages(false).outputs(outputs).reportDir(dir);
                    if (pre != null) {
                        ev.preprocessing(pre);
                    }
                    accuracy = ev.run(eval.split(1));
                    report = dir == null ? null : output.resolve(r.id() + ".accuracy").resolve(AccuracyReportWriter.JSON).toString();
                }
                columns.add(new RunComparison.Column(r.id(), r.record().describeSettings(), models.get(i + 1).toString(), r.record(), speed,
                        RunRecord.Accuracy.of(accuracy), report));
            }
            RunComparison result = new RunComparison(RunRecord.FORMAT, RunHistory.now(), parent.toString(), parentSha, columns,
                    benchmark, benchmarkFile, dataset == null ? null : dataset.description(), notes);
            sub.split(2).subTask("Writing the comparison");
            if (folder != null) {
                Json.write(folder.path().resolve(RunComparison.JSON), result, false);
                folder.commit();
            }
            return result;
        } catch (IOException e) {
            throw CoreStatus.exception("cannot write the comparison: " + (e.getMessage() != null ? e.getMessage() : e), e);
        }
    }

}
