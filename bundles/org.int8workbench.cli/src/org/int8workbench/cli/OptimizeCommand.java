package org.int8workbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import com.google.gson.JsonObject;
import org.int8workbench.core.Json;
import org.int8workbench.core.OutputPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.int8workbench.core.accuracy.AccuracyAwareResult;
import org.int8workbench.core.accuracy.AccuracyControl;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.pipeline.OptimizePipeline;
import org.int8workbench.core.pipeline.OutputFiles;
import org.int8workbench.core.pipeline.PipelineRequest;
import org.int8workbench.core.pipeline.PipelineResult;
import org.int8workbench.core.quantize.IgnoredScope;
import org.int8workbench.core.quantize.QuantizationResult;
import org.int8workbench.core.quantize.QuantizationSettings;
import org.int8workbench.core.quantize.RangeMethod;
import org.int8workbench.core.runs.RunHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code int8wb optimize MODEL --calibration PATH ...}: post-training INT8 quantization (QDQ) calibrated on images;
 * writes {@code NAME.int8.onnx} beside the model unless {@code --output} says otherwise.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = {"Quantizes an FP32 ONNX model to INT8 (QDQ, uint8 activations, int8 per-channel weights), "
                + "calibrated on real images.", "Writes NAME.int8.onnx beside the model; never replaces a file without --force.",
                "--method accuracy-aware --max-drop D [--validation DATASET] [--metric miou|agreement] keeps the layers that cost "
                        + "the most accuracy in FP32 until the drop is at most D points; --spark MASTER scores its candidates on Apache Spark."})
public final class OptimizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The FP32 ONNX model.")
    Path model;

    @Option(names = "--calibration", required = true, paramLabel = "PATH",
            description = "Calibration images: a folder of JPEG/PNG images or a dataset folder (e.g. Pascal VOC).")
    Path calibration;

    @Option(names = "--preset", paramLabel = "PRESET", defaultValue = "performance",
            description = "performance (symmetric activations, the fastest) or mixed (asymmetric activations). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Mixin
    MethodOptions methodOptions = new MethodOptions();

    @Option(names = "--subset", paramLabel = "N|P%",
            description = "Calibration images to use: a count or a percentage (default: 300, or all if fewer).")
    String subset;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0", description = "Seed of the subset selection. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99.999",
            description = "Percentile of the percentile range estimator. Default: ${DEFAULT-VALUE}.")
    double percentile;

    @Option(names = "--output", paramLabel = "FILE", description = "The INT8 model (default: NAME.int8.onnx beside MODEL).")
    Path output;

    @Option(names = "--ignore", paramLabel = "NAME", split = ",",
            description = "Keep these nodes in FP32: node names, operator types, globs (conv*) or re:REGEX.")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--keep-first-last", description = "Keep the first and the last Conv/Gemm/MatMul in FP32.")
    boolean keepFirstLast;

    @Option(names = "--fast-bias-correction", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Shift each quantized Conv's bias so its per-channel output mean matches FP32 (default: on; "
                    + "--no-fast-bias-correction turns it off).")
    boolean fastBiasCorrection = true;

    @Option(names = "--fast-head", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also write NAME.int8.head.onnx, cut before the segmentation head, whose labels the exact fast label head "
                    + "computes bit for bit in Java (default: on when a head is found; --no-fast-head turns it off).")
    boolean fastHead = true;

    @Mixin
    PreprocessingOptions preprocessing = new PreprocessingOptions();

    @Mixin
    OutputOptions outputOptions = new OutputOptions();

    @Option(names = "--force", description = "Replace an existing output model or JSON file.")
    boolean force;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON ('-' for standard output).")
    Path json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new java.nio.file.NoSuchFileException(model.toString());
        }
        // the output policy before any work: no output is an input, and only what the tool wrote is replaced
        OutputPolicy inputs = OutputPolicy.inputs().model(model).folder(calibration);
        CliSupport.refuseExistingJson(json, force, inputs);
        if (json != null && !json.toString().equals("-")
                && OutputPolicy.canonical(json).equals(OutputPolicy.canonical(output != null ? output : OutputFiles.int8Of(model)))) {
            throw new IllegalArgumentException("--json " + json + " is the INT8 model's own file; choose another --json file");
        }
        var selection = outputOptions.selection();
        java.io.PrintWriter err = spec != null ? spec.commandLine().getErr() : new java.io.PrintWriter(System.err, true);
        RangeMethod range = methodOptions.range(err);
        err.flush();
        AccuracyControl control = methodOptions.accuracyControl();
        Preprocessing pre = preprocessing.resolve(model);
        QuantizationOptions.Subset sub = QuantizationOptions.parseSubset(subset);
        Checks.inRange("--percentile", percentile, 50, 100);
        QuantizationSettings settings = new QuantizationSettings(QuantizationOptions.preset(preset), range, percentile, sub.size(),
                sub.percent(), seed, IgnoredScope.parse(ignore), keepFirstLast, fastBiasCorrection);
        var calibrationData = Datasets.open(calibration, null);
        // --spark (accuracy-aware only, refused otherwise by accuracyControl()): checked before any work
        var scorers = methodOptions.scorers(control != null && control.validation() != null ? control.validation() : calibrationData);
        PipelineRequest request = PipelineRequest.optimize(model, calibrationData).withPreprocessing(pre)
                .withQuantization(settings).withCutHead(fastHead)
                .withOutputs(output != null ? OutputFiles.besideInt8(output) : OutputFiles.besideModel(model)).withReplace(force)
                .withOutputSelection(selection).withAccuracyControl(control);
        // the run is remembered where the outputs go: beside the model, or beside --output (never beside a model whose folder
        // the user did not choose for outputs)
        OptimizePipeline pipeline = new OptimizePipeline(request)
                .withHistory(output == null ? RunHistory.besideModels() : RunHistory.in(output.toAbsolutePath().normalize().getParent()));
        if (scorers != null) {
            pipeline.scorers(scorers);
        }
        PipelineResult result = pipeline.run(new ConsoleProgress());
        QuantizationResult r = result.quantization();
        boolean quiet = json != null && json.toString().equals("-");
        if (!quiet) {
            System.out.print(r.describe());
        }
        JsonObject out = Json.gson().toJsonTree(r).getAsJsonObject();
        var cut = result.headCut();
        if (cut != null) {
            JsonObject h = new JsonObject();
            h.addProperty("cut", cut.cut());
            h.addProperty("model", cut.cut() ? cut.output().toString() : null);
            h.addProperty("head", cut.cut() ? cut.head().describe() : null);
            h.addProperty("reason", cut.reason());
            out.add("fastHead", h);
            if (!quiet) {
                System.out.println(cut.cut() ? "wrote " + cut.output() + "\n  exact fast label head: " + cut.head().describe()
                        : "  no fast label head: " + cut.reason());
            }
        }
        AccuracyAwareResult aware = result.accuracyAware();
        if (aware != null) {
            out.add("accuracyAware", Json.gson().toJsonTree(aware));
            if (!quiet) {
                System.out.print(aware.describe());
            }
        }
        out.add("outputs", Json.gson().toJsonTree(result.outputs()));
        if (!quiet) {
            result.outputLines().forEach(l -> System.out.println("  " + l));
        }
        if (pipeline.historyProblem() != null) {
            System.err.println("int8wb: warning: " + pipeline.historyProblem());
        } else if (!quiet && pipeline.recordedRun() != null) {
            System.out.println("  remembered as run " + pipeline.recordedRun().id() + " ('int8wb runs " + model
                    + (output == null ? "" : " --in " + output.toAbsolutePath().normalize().getParent()) + "' lists the runs)");
        }
        CliSupport.writeJson(json, out, force);
        return 0;
    }
}
