package org.int8workbench.core.pipeline;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.int8workbench.core.ModelNames;
import org.int8workbench.core.bench.BenchmarkOperation.Mode;
import org.int8workbench.core.report.AccuracyReportWriter;
import org.int8workbench.core.report.BenchmarkReportWriter;

/**
 * The names of everything an optimization writes; the one place that decides them (the model names from
 * {@link ModelNames}, which the quantization and the head cut use for their defaults too). Two layouts:
 *
 * <ul>
 * <li>{@link #besideModel}: beside the model, named after the INT8 model {@code NAME.int8.onnx} made from
 * {@code NAME.onnx} (or after the model measured, for a model that exists already): the model cut before its head
 * {@code NAME.int8.head.onnx}, the benchmark result {@code NAME.int8.benchmark.json} (with two modes
 * {@code NAME.int8.benchmark-latency.json} and {@code NAME.int8.benchmark-throughput.json}), the accuracy report
 * folder {@code NAME.int8.accuracy/} with {@code report.json}. The settings of the last optimization of
 * {@code NAME.onnx} are {@code NAME.optimize.json} ({@link #settingsOf}). This is what the workbench uses.</li>
 * <li>{@link #reportFolder}: everything in one folder: {@code NAME.int8.onnx}, {@code NAME.int8.head.onnx},
 * {@code benchmark-latency/} and {@code benchmark-throughput/} (each with {@code benchmark.json}, {@code .html} and
 * {@code .csv}), {@code accuracy/}, {@code summary.json} and {@code index.html}. This is what {@code int8wb demo}
 * writes.</li>
 * </ul>
 */
public final class OutputFiles {
    /** Suffix of an INT8 model made from {@code NAME.onnx} ({@link ModelNames#INT8_SUFFIX}). */
    public static final String INT8_SUFFIX = ModelNames.INT8_SUFFIX;
    /** Suffix of a model cut before its segmentation head, after the name of the model it was cut from. */
    public static final String HEAD_SUFFIX = ModelNames.HEAD_SUFFIX;
    /** Suffix of benchmark result files beside a model. */
    public static final String BENCHMARK_SUFFIX = ".benchmark.json";
    /** Suffix of accuracy report folders beside a model. */
    public static final String ACCURACY_SUFFIX = ".accuracy";
    /** Suffix of the remembered settings of a model's last optimization. */
    public static final String SETTINGS_SUFFIX = ".optimize.json";
    /** The report folder's accuracy report folder. */
    public static final String ACCURACY_FOLDER = "accuracy";
    /** The report folder's summary of the run. */
    public static final String SUMMARY = "summary.json";
    /** The report folder's summary page. */
    public static final String INDEX = "index.html";

    private enum Layout {
        BESIDE_MODEL, REPORT_FOLDER
    }

    private final Layout layout;
    private final Path int8;
    private final Path folder;
    private final Path benchmarkFile;

    private OutputFiles(Layout layout, Path int8, Path folder, Path benchmarkFile) {
        this.layout = layout;
        this.int8 = int8.toAbsolutePath().normalize();
        this.folder = folder == null ? null : folder.toAbsolutePath().normalize();
        this.benchmarkFile = benchmarkFile == null ? null : benchmarkFile.toAbsolutePath().normalize();
    }

    /** The outputs of optimizing {@code model} ({@code NAME.onnx}), beside it and named after {@code NAME.int8.onnx}. */
    public static OutputFiles besideModel(Path model) {
        return besideInt8(int8Of(model));
    }

    /**
     * The outputs beside an INT8 model at {@code int8} (made by this run or existing already), named after it; also for a
     * model measured alone.
     */
    public static OutputFiles besideInt8(Path int8) {
        return new OutputFiles(Layout.BESIDE_MODEL, Objects.requireNonNull(int8, "int8"), null, null);
    }

    /** The outputs of optimizing {@code model} ({@code NAME.onnx}), all in the folder {@code dir}. */
    public static OutputFiles reportFolder(Path dir, Path model) {
        Path d = dir.toAbsolutePath().normalize();
        return new OutputFiles(Layout.REPORT_FOLDER, d.resolve(baseName(model) + INT8_SUFFIX), d, null);
    }

    /**
     * These outputs, with the benchmark result of a single-mode run written to {@code json} instead (e.g. to measure
     * the models of an existing result again in its place); a run of both modes refuses such outputs.
     */
    public OutputFiles withBenchmarkFile(Path json) {
        return new OutputFiles(layout, int8, folder, json);
    }

    /** {@code NAME} of {@code NAME.onnx} (the file name without a final {@code .onnx}, in any case). */
    public static String baseName(Path model) {
        return ModelNames.baseName(model);
    }

    /** The INT8 model made from {@code model}: {@code NAME.int8.onnx} beside it. */
    public static Path int8Of(Path model) {
        return ModelNames.int8Of(model);
    }

    /** The model cut before its head from {@code model}: {@code NAME.int8.head.onnx} for {@code NAME.int8.onnx}. */
    public static Path headOf(Path model) {
        return ModelNames.headOf(model);
    }

    /** The benchmark result of {@code model} beside it (for an INT8 model: against its parent). */
    public static Path benchmarkOf(Path model) {
        return ModelNames.sibling(model, BENCHMARK_SUFFIX);
    }

    /** The accuracy report folder of {@code model} beside it (for an INT8 model: against its parent). */
    public static Path accuracyDirOf(Path model) {
        return ModelNames.sibling(model, ACCURACY_SUFFIX);
    }

    /** The accuracy report JSON of {@code model} beside it. */
    public static Path accuracyReportOf(Path model) {
        return accuracyDirOf(model).resolve(AccuracyReportWriter.JSON);
    }

    /** The remembered settings of the last optimization of {@code model}: {@code NAME.optimize.json} beside it. */
    public static Path settingsOf(Path model) {
        return ModelNames.sibling(model, SETTINGS_SUFFIX);
    }

    /** Whether the benchmark result goes to one given file ({@link #withBenchmarkFile}), which holds one mode only. */
    public boolean hasBenchmarkFile() {
        return benchmarkFile != null;
    }

    /** Whether everything goes into one report folder (with HTML pages) rather than beside the model. */
    public boolean isReportFolder() {
        return layout == Layout.REPORT_FOLDER;
    }

    /** The report folder, or {@code null} beside the model. */
    public Path folder() {
        return folder;
    }

    /** The INT8 model a quantization writes; the model the other names derive from beside the model. */
    public Path int8() {
        return int8;
    }

    /** The INT8 model cut before its head. */
    public Path head() {
        return headOf(int8);
    }

    /**
     * Where the benchmark of {@code mode} goes: beside the model a JSON file, in a report folder a folder with the
     * JSON, HTML and CSV files ({@link BenchmarkReportWriter}).
     *
     * @param onlyMode whether the run measures this mode only (beside the model it then has the plain name)
     */
    public Path benchmark(Mode mode, boolean onlyMode) {
        String m = mode.name().toLowerCase(Locale.ROOT);
        if (layout == Layout.REPORT_FOLDER) {
            return folder.resolve("benchmark-" + m);
        }
        if (benchmarkFile != null) {
            if (!onlyMode) {
                throw new IllegalArgumentException("one benchmark file " + benchmarkFile + " cannot hold two modes; measure one mode");
            }
            return benchmarkFile;
        }
        return onlyMode ? benchmarkOf(int8) : int8.resolveSibling(baseName(int8) + ".benchmark-" + m + ".json");
    }

    /** The benchmark JSON of {@code mode} (inside {@link #benchmark}'s folder in a report folder). */
    public Path benchmarkJson(Mode mode, boolean onlyMode) {
        Path p = benchmark(mode, onlyMode);
        return layout == Layout.REPORT_FOLDER ? p.resolve(BenchmarkReportWriter.JSON) : p;
    }

    /** The accuracy report folder. */
    public Path accuracyDir() {
        return layout == Layout.REPORT_FOLDER ? folder.resolve(ACCURACY_FOLDER) : accuracyDirOf(int8);
    }

    /** The accuracy report's JSON. */
    public Path accuracyReport() {
        return accuracyDir().resolve(AccuracyReportWriter.JSON);
    }

    /** The report folder's summary JSON; {@code null} beside the model. */
    public Path summary() {
        return folder == null ? null : folder.resolve(SUMMARY);
    }

    /** The report folder's summary page; {@code null} beside the model. */
    public Path index() {
        return folder == null ? null : folder.resolve(INDEX);
    }

    @Override
    public String toString() {
        return layout == Layout.REPORT_FOLDER ? "outputs in " + folder : "outputs beside " + int8;
    }
}
