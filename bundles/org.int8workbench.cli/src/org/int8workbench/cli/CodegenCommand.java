package org.int8workbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.int8workbench.core.OutputPolicy;
import org.int8workbench.core.codegen.CodegenOperation;
import org.int8workbench.core.codegen.CodegenResult;
import org.int8workbench.core.dataset.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code int8wb codegen MODEL --package P --class C --out DIR}: writes a Maven project with a Java class that runs the
 * model with ONNX Runtime Java (preprocessing, inference, exact label head) and a JUnit 5 regression test against
 * label maps computed by INT8 Workbench; {@code --json FILE} writes the {@link CodegenResult}.
 */
@Command(name = "codegen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generates Java inference code for a model: a Maven project with a class that loads the model with ONNX "
                + "Runtime Java, preprocesses an image, runs the model and returns its label map (with the exact label head when the "
                + "model was cut before its upsampling), a JUnit 5 regression test with sample images and their expected label "
                + "maps, and the model.",
            "The expected label maps come from --report (an accuracy report with saved label maps), else from running the model on "
                + "the first images of --dataset, else on generated images."})
public final class CodegenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model (usually the optimized INT8 model with the fast head).")
    Path model;

    @Option(names = "--package", paramLabel = "P", required = true, description = "Package of the generated classes, e.g. com.example.seg.")
    String packageName;

    @Option(names = "--class", paramLabel = "C", required = true, description = "Name of the generated class, e.g. Segmenter.")
    String className;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder of the generated Maven project.")
    Path out;

    @Option(names = "--dataset", paramLabel = "PATH", description = "Dataset whose first images become the test samples.")
    Path dataset;

    @Option(names = "--split", paramLabel = "NAME", description = "Pascal VOC split of --dataset (default: val).")
    String split;

    @Option(names = "--report", paramLabel = "DIR", description = "Accuracy report folder of this model with saved label maps, "
            + "to take the test samples from.")
    Path report;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "" + CodegenOperation.DEFAULT_SAMPLES,
            description = "Number of test samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--force", description = "Write into an existing, non-empty folder, replacing the generated files.")
    boolean force;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON ('-' for standard output).")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (dataset != null && report != null) {
            throw new IllegalArgumentException("give either --dataset or --report for the test samples, not both");
        }
        Checks.atLeast("--samples", samples, 1);
        PreprocessingOptions.requireSegmentation(model, null); // generated code gives label maps: a classifier is refused at once
        // the output policy before any work: no output is an input (the generated project is put together beside --out
        // and swapped in, so --out must not hold an input either)
        OutputPolicy inputs = OutputPolicy.inputs().model(model).folder(dataset).folder(report);
        inputs.checkFolderNotInput(out);
        CliSupport.refuseExistingJson(json, force, inputs);
        CodegenOperation op = new CodegenOperation(model).packageName(packageName).className(className).outputDir(out).reportDir(report)
                .samples(samples).overwrite(force);
        if (dataset != null) {
            op.dataset(Datasets.open(dataset, split));
        }
        CodegenResult r = op.run(new ConsoleProgress());
        System.out.println("Wrote the Maven project " + r.outputDir());
        System.out.println("  " + r.mainSource());
        for (String source : r.runtimeSources()) {
            System.out.println("  " + source + " (INT8 Workbench's own class, copied)");
        }
        System.out.println("  " + r.testSource() + " (" + r.samples().size() + " samples)");
        System.out.println("Preprocessing: " + r.preprocessing().describe() + (r.preprocessingRecorded() ? "" : " (defaults; not recorded in the model)"));
        System.out.println("Labels: " + r.decoding());
        System.out.println("Expected labels: " + r.expectedFrom());
        for (String n : r.notes()) {
            System.out.println("Note: " + n);
        }
        System.out.println("Run its test: mvn -f " + Path.of(r.pom()) + " test");
        CliSupport.writeJson(json, r, force);
        return 0;
    }
}
