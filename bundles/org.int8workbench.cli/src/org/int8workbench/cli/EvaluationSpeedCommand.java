package org.int8workbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.int8workbench.core.dataset.Datasets;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.metrics.EvaluationSpeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code int8wb evaluation-speed MODEL --reference PARENT --dataset PATH}: the evaluation's wall time against the two
 * models' pure inference time over the same images, in interleaved rounds (see {@link EvaluationSpeed}).
 */
@Command(name = "evaluation-speed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmarks the evaluation: its wall time against the two models' pure inference time over the same images, "
                + "in interleaved rounds, with the ratios per round and their median.",
            "A benchmark, not a check: run it on a quiet machine and compare the medians."})
public final class EvaluationSpeedCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model to evaluate (the optimized model).")
    Path model;

    @Option(names = "--reference", required = true, paramLabel = "PARENT_MODEL", description = "The parent model.")
    Path reference;

    @Option(names = "--dataset", required = true, paramLabel = "PATH", description = "Dataset folder (as for evaluate).")
    Path dataset;

    @Option(names = "--split", paramLabel = "NAME", description = "Pascal VOC split (default: val).")
    String split;

    @Mixin
    PreprocessingOptions preprocessing;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Only the first N images (0: all).")
    int limit;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON ('-' for standard output).")
    Path json;

    @Option(names = "--force", description = "Replace an existing JSON file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        CliSupport.requireModels(model, reference);
        Preprocessing pre = preprocessing.resolve(model);
        CliSupport.refuseExistingJson(json, force);
        EvaluationSpeed.Result r = new EvaluationSpeed().model(model).parent(reference).dataset(Datasets.open(dataset, split))
                .preprocessing(pre).limit(limit).rounds(rounds).run(new ConsoleProgress());
        System.out.println("CPU: " + r.provenance().cpu().describe() + "; ONNX Runtime " + r.provenance().onnxRuntime());
        EvaluationSpeed.describe(r).forEach(System.out::println);
        System.out.println();
        EvaluationSpeed.summary(r).forEach(System.out::println);
        CliSupport.writeJson(json, r, force);
        return 0;
    }
}
