package org.int8workbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.int8workbench.core.onnx.ModelSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code int8wb inspect MODEL [--json FILE]}: the model's interface, operators, size, precision and MACs. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Shows an ONNX model's inputs, outputs, operators, parameters, precision and estimated MACs.")
public final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The ONNX model.")
    Path model;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON ('-' for standard output).")
    Path json;

    @Option(names = "--force", description = "Replace an existing JSON file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        CliSupport.refuseExistingJson(json, force);
        ModelSummary s = ModelSummary.of(model);
        if (json == null || !json.toString().equals("-")) {
            System.out.print(s.describe());
        }
        CliSupport.writeJson(json, s, force);
        return 0;
    }
}
