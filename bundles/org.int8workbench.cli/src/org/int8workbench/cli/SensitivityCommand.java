package org.int8workbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.int8workbench.core.OutputPolicy;
import org.int8workbench.core.accuracy.AccuracyMetric;
import org.int8workbench.core.accuracy.SensitivityOperation;
import org.int8workbench.core.accuracy.SensitivityReport;
import org.int8workbench.core.accuracy.SensitivityResult;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.SegmentationDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code int8wb sensitivity MODEL --calibration DIR [--validation DATASET] ...}: which quantized nodes cost accuracy.
 * Calibrates as {@code optimize} does (nothing is written), then ranks every quantized node group by what keeping only
 * it in FP32 gains on the validation images where INT8 differs most from FP32, with the SQNR of its output and whether
 * ONNX Runtime runs it as an integer kernel.
 */
@Command(name = "sensitivity", mixinStandardHelpOptions = true,
        description = {"Per-layer sensitivity of a model's INT8 quantization: for every quantized node, the SQNR of its output "
                + "and what keeping only it in FP32 gains.", "Writes no model; --report DIR writes an HTML page and the JSON."})
public final class SensitivityCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The FP32 ONNX model.")
    Path model;

    @Option(names = "--calibration", required = true, paramLabel = "PATH",
            description = "Calibration images: a folder of JPEG/PNG images or a dataset folder (e.g. Pascal VOC).")
    Path calibration;

    @Option(names = "--validation", paramLabel = "DATASET",
            description = {"Validation images (a dataset with masks gives mIoU; default: the calibration images not used "
                    + "for calibration, else the calibration images, judged by agreement with FP32).", SparkScorers.URI_HELP})
    String validation;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = Datasets.DEFAULT_SPLIT,
            description = "Split of a VOC-style validation dataset. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--metric", paramLabel = "METRIC",
            description = "miou (against the masks) or agreement (with FP32). Default: miou with masks, else agreement.")
    String metric;

    @Option(names = "--images", paramLabel = "K", defaultValue = "8",
            description = "Ranking images: the K validation images where INT8 agrees least with FP32. Default: ${DEFAULT-VALUE}.")
    int images;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Nodes printed. Default: ${DEFAULT-VALUE}.")
    int top;

    @Mixin
    QuantizationOptions quantization = new QuantizationOptions();

    @Mixin
    PreprocessingOptions preprocessing = new PreprocessingOptions();

    @Mixin
    OutputOptions outputOptions = new OutputOptions();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON ('-' for standard output).")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write sensitivity.html and sensitivity.json into DIR.")
    Path report;

    @Option(names = "--force", description = "Replace an existing JSON file or report folder.")
    boolean force;

    @Option(names = "--spark", paramLabel = "MASTER", description = SparkScorers.HELP)
    String spark;

    @Override
    public Integer call() throws Exception {
        CliSupport.requireModels(model);
        SparkScorers.refuseUriWithoutSpark("--validation", validation, spark);
        if (images < 1) {
            throw new IllegalArgumentException("--images takes at least 1; got " + images);
        }
        Checks.atLeast("--top", top, 0);
        // the output policy before any work: no output is an input, and only what the tool wrote is replaced
        OutputPolicy inputs = OutputPolicy.inputs().model(model).folder(calibration).folder(SparkScorers.folder(validation));
        CliSupport.refuseExistingJson(json, force, inputs);
        if (report != null && !force && Files.exists(report)) {
            throw new java.nio.file.FileAlreadyExistsException(report.toAbsolutePath().toString(), null,
                    "the folder exists; choose another --report folder or add --force");
        }
        inputs.checkFolder(report, force);
        SegmentationDataset calibrationData = Datasets.open(calibration, null);
        // a URI (with --spark) is listed here through Hadoop and reopened through Hadoop on the executors
        SegmentationDataset validationData = validation == null ? null
                : SparkScorers.validation("--validation", validation, split, spark);
        SensitivityOperation op = new SensitivityOperation(model).calibration(calibrationData)
                .preprocessing(preprocessing.resolve(model)).settings(quantization.settings())
                .outputSelection(outputOptions.selection()).rankingImages(images)
                .metric(metric == null ? null : Checks.parsed("--metric", metric, AccuracyMetric::parse, "miou or agreement"));
        if (validationData != null) {
            op.validation(validationData);
        }
        if (spark != null) {
            // without --validation: a part of the calibration images, reopened from the same folder
            op.scorers(SparkScorers.of(spark, validationData != null ? validationData : calibrationData));
        }
        SensitivityResult r = op.run(new ConsoleProgress());
        boolean quiet = json != null && json.toString().equals("-");
        if (!quiet) {
            System.out.print(SensitivityReport.table(r, top));
            r.warnings().forEach(w -> System.out.println("warning: " + w));
        }
        if (report != null) {
            SensitivityReport.write(r, report, force);
            if (!quiet) {
                System.out.println("wrote " + report.resolve(SensitivityReport.HTML));
            }
        }
        CliSupport.writeJson(json, r, force);
        return 0;
    }
}
