package org.int8workbench.cli;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.int8workbench.core.Ort;
import org.int8workbench.core.dataset.Preprocessing;
import org.int8workbench.core.onnx.ExporterGraphs;
import org.int8workbench.core.onnx.InvalidModelException;
import org.int8workbench.core.onnx.ModelSummary;
import org.int8workbench.core.pipeline.ModelOutputs;
import org.int8workbench.core.onnx.OnnxModel;
import org.int8workbench.core.onnx.OrtMessages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code int8wb inspect MODEL [--size WxH] [--layout nchw|nhwc] [--json FILE]}: the model's interface, operators,
 * size, precision and MACs. A model with a dynamic input size has its MACs counted for {@code --size} (batch 1),
 * or for the preprocessing recorded in its metadata (an INT8 model written by {@code optimize} carries it).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Shows an ONNX model's inputs, outputs, operators, parameters, precision and estimated MACs.")
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX model.")
    Path model;

    @Option(names = "--size", paramLabel = "WxH",
            description = "Input size to count MACs for when the model's input size is dynamic (default: from its metadata).")
    String size;

    @Option(names = "--layout", paramLabel = "LAYOUT", description = "nchw or nhwc, with --size (default: from the input shape).")
    String layout;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON ('-' for standard output).")
    Path json;

    @Option(names = "--force", description = "Replace an existing JSON file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        CliSupport.refuseExistingJson(json, force);
        OnnxModel m = OnnxModel.load(model);
        checkWithOnnxRuntime(model);
        Preprocessing pre = null;
        if (size != null || layout != null) {
            if (size == null) {
                throw new IllegalArgumentException("--layout needs --size WIDTHxHEIGHT (the input size to count MACs for)");
            }
            PreprocessingOptions o = new PreprocessingOptions();
            o.size = size;
            o.layout = layout;
            pre = o.apply(Preprocessing.defaults(1, 1, ExporterGraphs.imageLayout(m)));
        }
        ModelSummary s = ModelSummary.of(m, pre);
        if (json == null || !json.toString().equals("-")) {
            System.out.print(s.describe());
            // how each output would be read (found from the graph; optimize/evaluate/benchmark take --output-kind to override)
            String notSegmentation = org.int8workbench.core.labels.LabelDecoders.notSegmentation(s);
            if (notSegmentation != null) {
                // the one check the other commands make before any work (no --output-kind makes labels of these outputs)
                System.out.println("  not read    " + notSegmentation);
            } else {
                ModelOutputs.each(model).forEach((name, o) -> System.out.println(org.int8workbench.core.Printable.of("  read as     " + name
                        + ": " + (o == null ? "unknown (give --output-kind to the other commands)" : o.kind().cliName() + " \u2014 " + o.reason()))));
            }
        }
        CliSupport.writeJson(json, s, force);
        return 0;
    }

    /**
     * ONNX Runtime's own model check: a session is created (basic graph optimizations, nothing run), so a model that
     * inspect accepts is one the other commands can load. A model it rejects fails with one line giving its reason
     * without its status code and source paths.
     */
    static void checkWithOnnxRuntime(Path model) throws InvalidModelException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            try (OrtSession s = Ort.env().createSession(model.toString(), o)) {
                // created: ONNX Runtime accepts the graph
            }
        } catch (OrtException e) {
            throw new InvalidModelException(model, "ONNX Runtime rejects the model: " + OrtMessages.clean(e.getMessage()), e);
        }
    }
}
