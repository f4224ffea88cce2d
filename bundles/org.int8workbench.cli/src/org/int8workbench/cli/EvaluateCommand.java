package org.int8workbench.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.int8workbench.core.OutputPolicy;
import org.int8workbench.core.dataset.ClassInfo;
import org.int8workbench.core.dataset.DatasetMetadata;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.GeneratedDataset;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.dataset.SegmentationDataset;
import org.int8workbench.core.metrics.ClusterEvaluator;
import org.int8workbench.core.metrics.EvaluateOperation;
import org.int8workbench.core.metrics.EvaluationRecipe;
import org.int8workbench.core.report.AccuracyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code int8wb evaluate MODEL --dataset PATH [--reference PARENT]}: accuracy against ground truth and agreement with
 * the parent model, printed as a summary; {@code --report DIR} writes HTML, CSV, JSON and pictures, {@code --json FILE}
 * the report record ({@code groundTruth.meanIoU}, {@code groundTruth.pixelAccuracy}, {@code reference.meanIoU},
 * {@code agreement.pixelAgreement}, {@code agreement.meanIoU}, ...).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures a model's accuracy on a dataset and, with --reference, how its predictions differ from the parent's.",
            "Datasets: a Pascal VOC folder (VOCdevkit, VOC20xx or a folder with ImageSets/Segmentation), a folder with images/ and "
                + "masks/ plus " + Datasets.METADATA_FILE + ", or a folder of images (agreement only)."})
public final class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model to evaluate (the optimized model).")
    Path model;

    @Option(names = "--dataset", paramLabel = "PATH|URI", description = {"Dataset folder; with --spark also a Hadoop-compatible URI "
            + "(hdfs://..., s3a://..., file:///...) that the driver and the executors read through Hadoop's file systems."})
    String dataset;

    @Option(names = "--generated", paramLabel = "N", description = "Instead of --dataset: N generated images (synthetic; accuracy not meaningful).")
    Integer generated;

    @Option(names = "--generated-kind", paramLabel = "KIND", defaultValue = "pattern", description = "noise or pattern (default: ${DEFAULT-VALUE}).")
    String generatedKind;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of --generated (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--split", paramLabel = "NAME", description = "Pascal VOC split (default: val).")
    String split;

    @Option(names = "--reference", paramLabel = "PARENT_MODEL", description = "The parent model to compare predictions with.")
    Path reference;

    @Mixin
    PreprocessingOptions preprocessing;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--classes", paramLabel = "voc|FILE", description = "Class names for a folder without metadata: 'voc' or a "
            + Datasets.METADATA_FILE + "-style file.")
    String classes;

    @Option(names = "--report", paramLabel = "DIR", description = "Write report.html, report.json, CSV files and side-by-side images here.")
    Path report;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report record as JSON ('-' for standard output).")
    Path json;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Evaluate only the first N images (0: all).")
    int limit;

    @Option(names = "--strict", description = "Stop at the first unreadable item instead of skipping and listing it.")
    boolean strict;

    @Option(names = "--no-images", description = "Do not draw side-by-side pictures into the report folder.")
    boolean noImages;

    @Option(names = "--force", description = "Replace existing output files and report folders.")
    boolean force;

    @Option(names = "--spark", paramLabel = "MASTER", description = {"Evaluate on Apache Spark: local[N], spark://HOST:PORT, or "
            + "'submit' for the master spark-submit gives. The images are evaluated on the executors (the --dataset folder must "
            + "be at the same path there, or be a Hadoop-compatible URI), the report is the local run's, pictures included (drawn on the executors). "
            + "./int8wb adds Spark to the class path."})
    String spark;

    @Override
    public Integer call() throws Exception {
        CliSupport.requireModels(model, reference);
        if ((dataset == null) == (generated == null)) {
            throw new IllegalArgumentException("give either --dataset PATH or --generated N");
        }
        Checks.atLeast("--limit", limit, 0);
        Checks.atLeast("--generated", generated, 1);
        if (spark != null && dataset == null) {
            throw new IllegalArgumentException("--spark evaluates a --dataset folder, not --generated images");
        }
        boolean uri = Datasets.isUri(dataset);
        if (uri && spark == null) {
            throw new IllegalArgumentException("--dataset " + dataset + " is a URI: it is read through Hadoop's file systems on Spark; "
                    + "add --spark MASTER (e.g. local[2]), or give a local folder");
        }
        Path folder = dataset == null || uri ? null : Path.of(dataset);
        // the output policy before any work: no output is an input, and only what the tool wrote is replaced
        OutputPolicy inputs = OutputPolicy.inputs().model(model).model(reference).folder(folder)
                .file(classes == null || classes.equalsIgnoreCase("voc") || classes.equalsIgnoreCase("pascal-voc") ? null : Path.of(classes));
        CliSupport.refuseExistingJson(json, force, inputs);
        inputs.checkFolder(report, force);
        var selection = output.selection();
        Preprocessing pre = preprocessing.resolve(model);
        // a URI is listed by the cluster evaluator, through Hadoop's file systems
        SegmentationDataset ds = folder != null ? Datasets.open(folder, split)
                : uri ? null : Datasets.generated(generated, pre.width(), pre.height(), seed,
                        Checks.parsed("--generated-kind", generatedKind, GeneratedDataset.Kind::parse, "noise or pattern"));
        if (spark != null) {
            EvaluationRecipe recipe = EvaluationRecipe.of(model, reference, dataset, split, pre, classInfo(), selection, limit, strict)
                    .withImages(!noImages, false);
            AccuracyReport r = ClusterEvaluator.find().evaluate(spark, recipe, report, force, new ConsoleProgress());
            print(r);
            CliSupport.writeJson(json, r, force);
            return 0;
        }
        EvaluateOperation op = new EvaluateOperation().model(model).parent(reference).dataset(ds).preprocessing(pre)
                .reportDir(report).overwrite(force).limit(limit).strict(strict).renderImages(!noImages)
                .outputs(selection);
        if (classes != null) {
            op.classes(classInfo());
        }
        AccuracyReport r = op.run(new ConsoleProgress());
        print(r);
        CliSupport.writeJson(json, r, force);
        return 0;
    }

    /** The classes of --classes, or {@code null}. */
    private ClassInfo classInfo() throws java.io.IOException {
        if (classes == null) {
            return null;
        }
        return classes.equalsIgnoreCase("voc") || classes.equalsIgnoreCase("pascal-voc") ? ClassInfo.pascalVoc()
                : DatasetMetadata.read(Path.of(classes)).classInfo(Path.of(classes));
    }

    private void print(AccuracyReport r) {
        System.out.println("Dataset: " + r.dataset());
        System.out.println("Preprocessing: " + r.preprocessing().describe());
        if (r.synthetic()) {
            System.out.println("WARNING: synthetic images; the accuracy figures are not meaningful.");
        }
        java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
        EvaluationSummary.print(r, reference != null, out);
        out.flush();
        String definition = switch (r.outputKind()) {
            case "regression" -> null;
            case "binary" -> "Foreground IoU = pixels both models call foreground / pixels either calls foreground, totals over all"
                    + " images (1 when neither predicts any).";
            case "multilabel" -> "Per label: IoU of its mask against the parent's, totals over all images; pixel agreement = the"
                    + " mean over labels of each label's agreement.";
            default -> "Mean IoU = mean over classes with a non-zero union of (total intersection / total union) over all images.";
        };
        if (definition != null) {
            System.out.println(definition);
        }
        System.out.println(String.format(Locale.ROOT, "%d images in %.1f s (%d runs at once on %d thread(s) each; session.run %.1f s model + %.1f s parent)",
                r.timing().images(), r.timing().wallSeconds(), r.timing().concurrentRuns(), r.timing().threadsPerRun(),
                r.timing().modelInferenceSeconds(), r.timing().parentInferenceSeconds()));
        if (!r.skipped().isEmpty()) {
            System.out.println(r.skipped().size() + " items skipped:");
            r.skipped().stream().limit(10).forEach(s -> System.out.println("  " + s.id() + ": " + s.reason()));
            if (r.skipped().size() > 10) {
                System.out.println("  ... (all listed in the report)");
            }
        }
        if (report != null) {
            System.out.println("Report: " + report.toAbsolutePath().resolve("report.html"));
        }
    }
}
